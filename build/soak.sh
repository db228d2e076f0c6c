#!/usr/bin/env bash
# make soak: SOAK_FRAMES frames of the whole runtime (image folder looped -> inference -> hazards -> durable queue ->
# a real mosquitto on a free loopback port) with `edgeseg run --soak-report`, which samples RSS, GC heap, fd and
# thread counts from inside and writes $SOAK_REPORT (CSV) + its .md with the verdict. Exit 1 when the verdict fails.
set -euo pipefail
FRAMES="${SOAK_FRAMES:-10000}"
MODEL="${SOAK_MODEL:-models/midenet-distilled.onnx}"
SOURCE="${SOAK_SOURCE:-${EDGESEG_SHARED:-../shared}/data/Validation_Dataset/RoadAnomaly21/images}"
REPORT="${SOAK_REPORT:-reports/soak.csv}"
INTERVAL="${SOAK_INTERVAL:-5}"
command -v mosquitto >/dev/null || { echo "soak: mosquitto not found (apt-get install mosquitto)" >&2; exit 2; }
work="$(mktemp -d -t edgeseg-soak-XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
broker=$!
cleanup() { kill "$broker" 2>/dev/null || true; wait "$broker" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
mkdir -p "$(dirname "$REPORT")"
echo "soak: $FRAMES frames of $MODEL on $SOURCE (looped), mosquitto 127.0.0.1:$port (pid $broker), report $REPORT"
EDGESEG__SOURCE__LOOP=true EDGESEG__QUEUE__DIRECTORY="$work/queue" EDGESEG__STATS_INTERVAL_SECONDS=30 \
  bin/edgeseg run --config deploy/edgeseg.sample-images.json --source "$SOURCE" --model "$MODEL" \
  --broker "mqtt://127.0.0.1:$port" --device-id soak --max-frames "$FRAMES" \
  --soak-report "$REPORT" --soak-interval "$INTERVAL"
grep -q '^\*\*Verdict: PASS' "${REPORT%.*}.md"
