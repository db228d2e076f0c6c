#!/usr/bin/env bash
# make bench-pipeline: the whole runtime (source -> preprocess -> inference -> score -> hazards -> fsync'd queue -> MQTT)
# measured by `edgeseg bench --pipeline`, each run in its own process (so peak RSS is per model):
#   1. $BENCH_MODEL on the RoadAnomaly21 images, embedded broker (the historical run)  -> reports/bench-pipeline.{json,md}
#   2. $BENCH_MODEL on $PIPELINE_VIDEO played like a live camera (--realtime, decoded frames preloaded as a camera hands
#      them over), mosquitto, at the card's default threshold instead of the shipped operating point (which raises no
#      hazard on these highway clips, so nothing would be published to time) -> reports/bench-pipeline-realtime.*; then with software H.264 decode -> reports/bench-pipeline-realtime-decode.*
#   3. the runtime ceiling as on the vehicle: the 1x1-convolution network with heads (score + road mask in the graph) on
#      $PIPELINE_VIDEO preloaded (source.preload: decoded frames, as a camera hands them over), unpaced, mosquitto
#      -> reports/bench-pipeline-ceiling.*; then the plain 1x1 network on the file decoded by software H.264 (this host's
#      decode and CPU scoring in the loop) -> reports/bench-pipeline-ceiling-decode.*
#   4. where memory goes: $BENCH_MODEL unpaced, one variable changed per run (ORT arena, memory pattern, GC mode,
#      GC heap limit, TieredPGO), interleaved with baseline runs -> reports/bench-memory.md
# Every report records the load average at its start (the machine is shared; numbers are noisy).
set -euo pipefail
MODEL="${BENCH_MODEL:-models/enet-seed-560-void.onnx}"
CEILING="${CEILING_MODEL:-models/ceiling-1x1.onnx}"
SHARED="${EDGESEG_SHARED:-../shared}"
VIDEO="${PIPELINE_VIDEO:-$SHARED/data/videos/highway-vehicles.mp4}"
FRAMES="${PIPELINE_FRAMES:-100}"
CEILING_FRAMES="${CEILING_FRAMES:-600}"
REALTIME_FRAMES="${REALTIME_FRAMES:-750}"   # captured at the clip's 25 fps: 30 s, ~150-200 frames inferred by ENet on 2 cores
MEMORY_FRAMES="${MEMORY_FRAMES:-40}"
CONFIG=deploy/edgeseg.sample-images.json
STEPS=" ${PIPELINE_STEPS:-1 2 3 4} "     # a subset, e.g. PIPELINE_STEPS="2 3"
want() { [[ "$STEPS" == *" $1 "* ]]; }
command -v mosquitto >/dev/null || { echo "bench-pipeline: mosquitto not found (apt-get install mosquitto)" >&2; exit 2; }
mkdir -p reports
work="$(mktemp -d -t edgeseg-bench-XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
broker=$!
cleanup() { kill "$broker" 2>/dev/null || true; wait "$broker" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
load() { cut -d' ' -f1-3 /proc/loadavg; }
stamp() { printf '\nload average at start (1/5/15 min): %s\n' "$1" >> "$2"; }

if want 1; then
echo "bench-pipeline: [1/4] $MODEL on the RoadAnomaly21 images (embedded broker)"
l="$(load)"
bin/edgeseg bench --model "$MODEL" --provider cpu --iterations 30 --warmup 3 --pipeline \
  --source "$SHARED/data/Validation_Dataset/RoadAnomaly21/images" --max-frames "$FRAMES" \
  --config "$CONFIG" --json reports/bench-pipeline.json --markdown reports/bench-pipeline.md
stamp "$l" reports/bench-pipeline.md
fi

if want 2; then
echo "bench-pipeline: [2/4] $MODEL on $VIDEO played like a live camera: decoded frames (source.preload, as a CSI camera or NVDEC hands them over) at the clip's own rate, $REALTIME_FRAMES frames, mosquitto 127.0.0.1:$port"
l="$(load)"
EDGESEG__SOURCE__PRELOAD=true EDGESEG__SCORING__USE_OPERATING_POINT=false bin/edgeseg bench --model "$MODEL" --provider cpu --iterations 30 --warmup 3 --pipeline --realtime \
  --source "$VIDEO" --max-frames "$REALTIME_FRAMES" --broker "mqtt://127.0.0.1:$port" \
  --config "$CONFIG" --json reports/bench-pipeline-realtime.json --markdown reports/bench-pipeline-realtime.md
stamp "$l" reports/bench-pipeline-realtime.md
echo "bench-pipeline: [2b/4] the same with this host's software H.264 decode in the loop"
l="$(load)"
EDGESEG__SCORING__USE_OPERATING_POINT=false bin/edgeseg bench --model "$MODEL" --provider cpu --iterations 30 --warmup 3 --pipeline --realtime \
  --source "$VIDEO" --max-frames "$REALTIME_FRAMES" --broker "mqtt://127.0.0.1:$port" \
  --config "$CONFIG" --json reports/bench-pipeline-realtime-decode.json --markdown reports/bench-pipeline-realtime-decode.md
stamp "$l" reports/bench-pipeline-realtime-decode.md
fi

if want 3; then
echo "bench-pipeline: [3/4] runtime ceiling as on the vehicle: ${CEILING%.onnx}-heads.onnx, $VIDEO preloaded (decoded frames, like a camera), mosquitto 127.0.0.1:$port"
CEILING_HEADS="${CEILING%.onnx}-heads.onnx"
[ -f "$CEILING_HEADS" ] || bin/edgeseg-tools build-ceiling-model --out "$CEILING" --heads
l="$(load)"
EDGESEG__SOURCE__PRELOAD=true bin/edgeseg bench --model "$CEILING_HEADS" --provider cpu --iterations 100 --warmup 10 --pipeline \
  --source "$VIDEO" --max-frames "$CEILING_FRAMES" --broker "mqtt://127.0.0.1:$port" \
  --config "$CONFIG" --json reports/bench-pipeline-ceiling.json --markdown reports/bench-pipeline-ceiling.md
stamp "$l" reports/bench-pipeline-ceiling.md
echo "bench-pipeline: [3b/4] the same ceiling with this host's software H.264 decode and CPU scoring: $CEILING on $VIDEO unpaced"
l="$(load)"
bin/edgeseg bench --model "$CEILING" --provider cpu --iterations 100 --warmup 10 --pipeline \
  --source "$VIDEO" --max-frames "$CEILING_FRAMES" --broker "mqtt://127.0.0.1:$port" \
  --config "$CONFIG" --json reports/bench-pipeline-ceiling-decode.json --markdown reports/bench-pipeline-ceiling-decode.md
stamp "$l" reports/bench-pipeline-ceiling-decode.md
fi

if want 4; then
echo "bench-pipeline: [4/4] memory variants of $MODEL ($MEMORY_FRAMES frames each, unpaced $VIDEO)"
variants=(
  "baseline|"
  "ORT arena off|EDGESEG__MODEL__CPU_MEMORY_ARENA=false"
  "ORT arena + memory pattern off|EDGESEG__MODEL__CPU_MEMORY_ARENA=false EDGESEG__MODEL__MEMORY_PATTERN=false"
  "ORT arena + memory pattern off, glibc trim 128 KiB|EDGESEG__MODEL__CPU_MEMORY_ARENA=false EDGESEG__MODEL__MEMORY_PATTERN=false MALLOC_TRIM_THRESHOLD_=131072"
  "baseline (again)|"
  "Workstation GC, non-concurrent|DOTNET_gcServer=0 DOTNET_gcConcurrent=0"
  "GC heap hard limit 64 MB|DOTNET_GCHeapHardLimit=0x4000000"
  "TieredPGO off|DOTNET_TieredPGO=0"
  "arena off + GC limit 64 MB + non-concurrent GC|EDGESEG__MODEL__CPU_MEMORY_ARENA=false DOTNET_GCHeapHardLimit=0x4000000 DOTNET_gcConcurrent=0"
)
{
  echo "# Where the runtime's memory goes: $(basename "$MODEL"), $MEMORY_FRAMES frames of $(basename "$VIDEO") (unpaced)"
  echo
  echo "One process per row, rows run in this order (baseline twice to show the spread). Peak RSS is the pipeline run's own"
  echo "(VmHWM reset after the bare bench); managed heap is the GC heap after the run."
  echo
  echo "| variant | environment | peak RSS MB | managed heap MB | GC | end-to-end fps | load at start |"
  echo "|---|---|---:|---:|---|---:|---|"
} > "$work/memory.md"
for v in "${variants[@]}"; do
  name="${v%%|*}"; envs="${v#*|}"
  l="$(load)"
  env $envs bin/edgeseg bench --model "$MODEL" --provider cpu --iterations 5 --warmup 1 --pipeline \
    --source "$VIDEO" --max-frames "$MEMORY_FRAMES" --broker "mqtt://127.0.0.1:$port" \
    --config "$CONFIG" --json "$work/memory.json" > /dev/null
  python3 - "$work/memory.json" "$name" "${envs:-(none)}" "$l" >> "$work/memory.md" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
gc = ("Server" if r.get("server_gc") else "Workstation") + f", limit {r.get('gc_heap_hard_limit_mb', 0):.0f} MB"
print(f"| {sys.argv[2]} | `{sys.argv[3]}` | {r['peak_rss_mb']:.1f} | {r.get('managed_heap_mb', 0):.1f} | {gc} | {r['end_to_end_fps']:.2f} | {sys.argv[4]} |")
PY
done
cp "$work/memory.md" reports/bench-memory.md
fi
echo "bench-pipeline: reports/bench-pipeline{,-realtime,-ceiling}.{json,md}, reports/bench-memory.md"
