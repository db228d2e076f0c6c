#!/usr/bin/env bash
# make chaos: the faults of issue #13 end to end. A real mosquitto (Debian's binary, started here on a free loopback
# port with its own config, never the service), the real `bin/edgeseg run` process and an independent
# `mosquitto_sub -q 1` (persistent session) recording every `hazards` message. Each fault appends one JSON line to
# $CHAOS_WORK/results.jsonl; `edgeseg-tools chaos-report` writes the table into docs/reliability.md (generated section)
# and reports/chaos.json. Every wait is bounded. Exit 1 when a fault misses its targets.
set -uo pipefail
MODEL="${CHAOS_MODEL:-models/enet-seed-560-void.onnx}"
SOURCE="${CHAOS_SOURCE:-${EDGESEG_SHARED:-../shared}/data/Validation_Dataset/RoadAnomaly21/images}"
FRAMES="${CHAOS_FRAMES:-3}"           # images copied into the looped folder source
STALL_S="${CHAOS_STALL_S:-20}"         # how long the broker is frozen
DOC="${CHAOS_DOC:-docs/reliability.md}"
JSON="${CHAOS_JSON:-reports/chaos.json}"
T_EVENT="${CHAOS_EVENT_TIMEOUT_S:-120}" # first hazard event of a run (model load + first frames on a loaded machine)
T_EXIT=40                               # exit after SIGTERM (shutdown_timeout_s 25 + margin)

command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { echo "chaos: mosquitto not found (apt-get install mosquitto)" >&2; exit 2; }
command -v mosquitto_sub >/dev/null || { echo "chaos: mosquitto_sub not found (apt-get install mosquitto-clients)" >&2; exit 2; }
MOSQUITTO="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
[ -f "$MODEL" ] || { echo "chaos: $MODEL missing (make models)" >&2; exit 2; }
[ -x bin/edgeseg ] || { echo "chaos: bin/edgeseg missing (make build)" >&2; exit 2; }

work="$(mktemp -d -t edgeseg-chaos-XXXXXX)"
export CHAOS_WORK="$work"
RESULTS="$work/results.jsonl"
: > "$RESULTS"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [ -n "${CHAOS_KEEP:-}" ]; then
    echo "chaos: kept $work"
  elif grep -q '"pass": false' "$RESULTS" 2>/dev/null; then
    # an intermittent failure must leave its evidence: every run's stderr log, journal and subscriber output
    local keep; keep="reports/chaos-failed-$(date -u +%Y%m%dT%H%M%S)"
    mkdir -p reports && mv "$work" "$keep" && echo "chaos: a fault failed; its logs, journals and subscriber output are kept in $keep" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'echo "chaos: interrupted by a signal" >&2; exit 130' INT TERM HUP
started=$(date +%s)
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

frames="$work/frames"
mkdir -p "$frames"
find "$SOURCE" -maxdepth 1 -type f | sort | head -n "$FRAMES" | while read -r f; do ln -s "$(readlink -f "$f")" "$frames/"; done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { # port timeout_s
  local end=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$end" ]; do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
# broker DIR PORT [extra config]: (re)start mosquitto; sets BROKER_PID
broker() {
  local dir="$1" port="$2"; mkdir -p "$dir"
  [ -f "$dir/mosquitto.conf" ] || printf 'listener %s 127.0.0.1\n%s\nuser root\npersistence true\npersistence_location %s/\nautosave_on_changes true\nautosave_interval 1\nlog_dest file %s/mosquitto.log\nlog_type error\nlog_type warning\nlog_type notice\nlog_type information\n' \
    "$port" "${3:-allow_anonymous true}" "$dir" "$dir" > "$dir/mosquitto.conf"
  "$MOSQUITTO" -c "$dir/mosquitto.conf" > "$dir/stdout.log" 2>&1 &
  BROKER_PID=$!; pids+=("$BROKER_PID")
  wait_port "$port" 10 || { echo "chaos: mosquitto did not start on $port" >&2; cat "$dir/stdout.log" "$dir/mosquitto.log" >&2; return 1; }
}
# subscribe NAME PORT TOPIC OUT [extra args]: independent QoS 1 subscriber with a persistent session; sets SUB_PID
subscribe() {
  mosquitto_sub -h 127.0.0.1 -p "$2" -q 1 -c -i "chaos-sub-$1" -t "$3" "${@:5}" >> "$4" 2>> "$4.err" &
  SUB_PID=$!; pids+=("$SUB_PID")
  sleep 1
}
# config FILE DEVICE QUEUE MQTT_JSON [loop true|false]
config() {
  cat > "$1" <<EOF
{
  "device_id": "$2",
  "source": { "uri": "$frames", "loop": ${5:-true} },
  "model": { "path": "$(readlink -f "$MODEL")", "providers": ["cpu"], "threads": 1 },
  "tracking": { "confirm_frames": 1, "end_after_missed_frames": 1 },
  "mqtt": $4,
  "queue": { "directory": "$3" },
  "stats_interval_seconds": 0,
  "shutdown_timeout_s": 25
}
EOF
}
# run CONFIG LOG [args]: starts edgeseg run in the background; sets RUN_PID
run() { bin/edgeseg run --config "$1" "${@:3}" > "$2.out" 2> "$2" & RUN_PID=$!; pids+=("$RUN_PID"); }
# wait_for CONDITION_CMD TIMEOUT_S PID: polls until the command succeeds; fails when PID exits first or on timeout
wait_for() {
  local end=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    eval "$1" && return 0
    [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
    sleep 0.2
  done
  return 1
}
lines() { [ -f "$1" ] && wc -l < "$1" || echo 0; }
journal_events() { python3 "$work/journal.py" "$1" count 2>/dev/null || echo 0; }
# stop PID: SIGTERM, bounded wait; sets STOP_CODE (137 after a SIGKILL when it did not stop in time) and STOP_S
stop() {
  local ts; ts=$(date +%s%N)
  kill -TERM "$1" 2>/dev/null
  local end=$(( $(date +%s) + T_EXIT ))
  while kill -0 "$1" 2>/dev/null && [ "$(date +%s)" -lt "$end" ]; do sleep 0.2; done
  kill -0 "$1" 2>/dev/null && kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null; STOP_CODE=$?
  STOP_S=$(python3 -c "print(round(($(date +%s%N) - $ts) / 1e9, 1))")
}
# second_run CONFIG LOG SUB_OUT WANT: a run with the broker up (folder looped) until the subscriber has WANT distinct
# seq (bounded), then SIGTERM; sets STOP_CODE
second_run() {
  run "$1" "$2"
  local rp=$RUN_PID
  wait_for "[ \$(python3 $work/analyze.py distinct $3) -ge $4 ]" 120 "$rp" || say "$(basename "$(dirname "$2")"): fewer than $4 events delivered in the second run"
  stop "$rp"
}
# wait until the subscriber has received every event the runs enqueued (bounded)
settle() { # OUT LOGS... ; waits up to 20 s
  local want; want=$(python3 "$work/analyze.py" enqueued "${@:2}")
  wait_for "[ \"\$(python3 $work/analyze.py distinct $1)\" -ge $want ]" 20 || true
}

cat > "$work/journal.py" <<'PY'
# Independent reader of alerts.journal (docs/mqtt.md): 32-byte header, records [u32 len][u32 crc][u64 seq + JSON].
import json, struct, sys, zlib
path, what = sys.argv[1], sys.argv[2]
data = open(path, 'rb').read()
off, recs = 32, []
while off + 8 <= len(data):
    n, crc = struct.unpack_from('<II', data, off)
    body = data[off + 8: off + 8 + n]
    if n < 9 or len(body) < n or zlib.crc32(body) & 0xffffffff != crc:
        break
    recs.append((off, struct.unpack_from('<Q', body)[0], body[8:].decode()))
    off += 8 + n
if what == 'count':
    print(len(recs))
elif what == 'dump':  # seq<TAB>payload
    for _, s, p in recs: print(f"{s}\t{p}")
elif what == 'flip':  # flip a byte in the JSON of the record at index argv[3] (negative: from the end); prints its seq
    off, s, _ = recs[int(sys.argv[3])]
    pos = off + 8 + 8 + 5
    b = bytearray(data); b[pos] ^= 0x5A
    open(path, 'r+b').write(b); print(s)
elif what == 'flip-header':  # flip a byte of the header's base sequence
    b = bytearray(data); b[9] ^= 0x5A
    open(path, 'r+b').write(b)
PY

cat > "$work/analyze.py" <<'PY'
# analyze.py enqueued LOG...            -> sum of "events N" of each run's final stats line
# analyze.py distinct OUT              -> distinct seq received
# analyze.py row FAULT OUT EXITS SECONDS PASS_EXTRA NOTES [--damaged N] [--journal DUMP] LOG... -> one JSON result line
import json, re, sys

def enqueued(logs):
    total = 0
    for log in logs:
        found = re.findall(r'; events (\d+), active', open(log, errors='replace').read())
        total += int(found[-1]) if found else 0
    return total

def messages(out):
    msgs = []
    try:
        for line in open(out, errors='replace'):
            line = line.strip()
            if not line: continue
            try: msgs.append((json.loads(line)['seq'], line))
            except Exception: pass
    except FileNotFoundError: pass
    return msgs

def connections(logs):
    conn = att = 0
    for log in logs:
        for c, a in re.findall(r'(\d+) connection\(s\) in (\d+) attempt\(s\)', open(log, errors='replace').read()):
            conn += int(c); att += int(a)
    return conn, att

cmd = sys.argv[1]
if cmd == 'enqueued':
    print(enqueued(sys.argv[2:]))
elif cmd == 'distinct':
    print(len({s for s, _ in messages(sys.argv[2])}))
elif cmd == 'row':
    fault, out, exits, seconds, extra_ok, notes = sys.argv[2:8]
    rest = sys.argv[8:]
    damaged, dump = 0, None
    while rest and rest[0].startswith('--'):
        if rest[0] == '--damaged': damaged = int(rest[1])
        if rest[0] == '--journal': dump = rest[1]
        rest = rest[2:]
    logs = rest
    msgs = messages(out)
    by_seq = {}
    for s, p in msgs: by_seq.setdefault(s, set()).add(json.dumps(json.loads(p), sort_keys=True))
    delivered = len(by_seq)
    duplicates = len(msgs) - delivered
    reused = sum(1 for v in by_seq.values() if len(v) > 1)
    if dump:  # events stored before the fault: a delivered seq with another payload is a reused number
        for line in open(dump):
            s, p = line.rstrip('\n').split('\t', 1)
            s = int(s); p = json.dumps(json.loads(p), sort_keys=True)
            if s in by_seq and p not in by_seq[s]: reused += 1
    enq = enqueued(logs)
    conn, att = connections(logs)
    lost = enq - damaged - delivered
    exit_ok = all(e == '0' for e in exits.split('/') if e != 'x')
    ok = lost == 0 and reused == 0 and exit_ok and enq > 0 and extra_ok == '1'
    print(json.dumps({
        'fault': fault, 'enqueued': enq, 'damaged': damaged if damaged else None, 'delivered': delivered,
        'duplicates': duplicates, 'lost': lost, 'seq_reused': reused, 'max_seq': max(by_seq) if by_seq else None,
        'reconnects': max(conn - 1, 0) if att else None, 'connect_attempts': att if att else None,
        'exit_code': exits.replace('x', '—'), 'seconds': float(seconds), 'pass': ok, 'notes': notes}))
PY

t0() { T0=$(date +%s); }
elapsed() { echo $(( $(date +%s) - T0 )); }
say() { echo "chaos: $*"; }
mqtt_at() { echo "{ \"host\": \"127.0.0.1\", \"port\": $1 }"; }

# ---------------------------------------------------------------- 1. broker stalled (SIGSTOP / SIGCONT)
fault_stall() {
  t0; local d="$work/stall" port; port=$(free_port); mkdir -p "$d"
  broker "$d/broker" "$port" || return
  local bp=$BROKER_PID
  subscribe stall "$port" edgeseg/stall/hazards "$d/sub.txt"
  config "$d/edgeseg.json" stall "$d/queue" "$(mqtt_at "$port")"
  run "$d/edgeseg.json" "$d/run.log"
  local rp=$RUN_PID
  wait_for "[ \$(lines $d/sub.txt) -ge 1 ]" "$T_EVENT" "$rp" || say "stall: no event delivered before the stall"
  say "stall: freezing mosquitto (pid $bp) for $STALL_S s"
  kill -STOP "$bp"; sleep "$STALL_S"; kill -CONT "$bp"
  # recovered when the subscriber receives events again (the backoff may be up to reconnect_max_delay_seconds, 30 s)
  local at; at=$(lines "$d/sub.txt")
  wait_for "[ \$(lines $d/sub.txt) -gt $at ]" 45 "$rp" || say "stall: nothing delivered within 45 s after SIGCONT"
  sleep 3
  stop "$rp"; local code=$STOP_CODE
  settle "$d/sub.txt" "$d/run.log"
  local att; att=$(python3 -c "import re;print(sum(int(a) for c,a in re.findall(r'(\d+) connection\(s\) in (\d+) attempt\(s\)', open('$d/run.log').read())))")
  local per_min; per_min=$(python3 -c "print(round(($att - 1) * 60 / $STALL_S, 1))")
  local ok=1; python3 -c "import sys; sys.exit(0 if ($att - 1) * 60 / $STALL_S <= 20 else 1)" || ok=0
  python3 "$work/analyze.py" row "broker stalled ${STALL_S} s (kill -STOP / -CONT) during a run, then SIGTERM" "$d/sub.txt" "$code" "$(elapsed)" "$ok" \
    "$per_min connection attempts per minute of stall (target <= 20)" "$d/run.log" >> "$RESULTS"
  kill -TERM "$SUB_PID" "$bp" 2>/dev/null
}

# ---------------------------------------------------------------- 2. broker killed and restarted
fault_restart() {
  t0; local d="$work/restart" port; port=$(free_port); mkdir -p "$d"
  broker "$d/broker" "$port" || return
  subscribe restart "$port" edgeseg/restart/hazards "$d/sub.txt"
  config "$d/edgeseg.json" restart "$d/queue" "$(mqtt_at "$port")"
  run "$d/edgeseg.json" "$d/run.log"
  local rp=$RUN_PID
  wait_for "[ \$(lines $d/sub.txt) -ge 1 ]" "$T_EVENT" "$rp" || say "restart: no event delivered before the kill"
  say "restart: kill -KILL mosquitto, 5 s down, restart on port $port"
  kill -KILL "$BROKER_PID"; wait "$BROKER_PID" 2>/dev/null; sleep 5
  broker "$d/broker" "$port" || return
  sleep 8
  stop "$rp"; local code=$STOP_CODE
  settle "$d/sub.txt" "$d/run.log"
  local ok=1; grep -q 'MQTT connected' "$d/run.log" || ok=0
  python3 "$work/analyze.py" row "broker killed (SIGKILL), restarted 5 s later during a run, then SIGTERM" "$d/sub.txt" "$code" "$(elapsed)" "$ok" \
    "subscriber: persistent session, broker persistence on" "$d/run.log" >> "$RESULTS"
  kill -TERM "$SUB_PID" "$BROKER_PID" 2>/dev/null
}

# ---------------------------------------------------------------- 3. SIGTERM with the broker down, next run delivers
fault_sigterm() {
  t0; local d="$work/sigterm" port; port=$(free_port); mkdir -p "$d"
  config "$d/edgeseg.json" term "$d/queue" "$(mqtt_at "$port")"
  run "$d/edgeseg.json" "$d/run1.log"
  local rp=$RUN_PID
  wait_for "[ \$(journal_events $d/queue/alerts.journal) -ge 4 ]" "$T_EVENT" "$rp" || say "sigterm: fewer than 4 events stored"
  stop "$rp"; local code1=$STOP_CODE took=$STOP_S
  local enq1; enq1=$(python3 "$work/analyze.py" enqueued "$d/run1.log")
  broker "$d/broker" "$port" || return
  subscribe term "$port" edgeseg/term/hazards "$d/sub.txt"
  second_run "$d/edgeseg.json" "$d/run2.log" "$d/sub.txt" $((enq1 + 2)); local code2=$STOP_CODE
  settle "$d/sub.txt" "$d/run1.log" "$d/run2.log"
  local ok=1; [ "$code1" = 0 ] || ok=0
  python3 "$work/analyze.py" row "SIGTERM during a run with the broker down; a second run with the broker up delivers the rest" "$d/sub.txt" "$code1/$code2" "$(elapsed)" "$ok" \
    "first run exited ${took} s after SIGTERM (shutdown_timeout_s 25)" "$d/run1.log" "$d/run2.log" >> "$RESULTS"
  kill -TERM "$SUB_PID" "$BROKER_PID" 2>/dev/null
}

# ---------------------------------------------------------------- 4. flipped byte in the journal between two runs
# MODE pending: a pending record in the middle; acked: the first record, acknowledged by a run with the broker up;
# header: the journal header.
fault_journal() {
  local mode="$1"; t0; local d="$work/journal-$mode" port; port=$(free_port); mkdir -p "$d"
  local sub_started=0
  if [ "$mode" = acked ]; then
    # run 1 delivers (acks) events, then the broker goes down so later ones stay pending next to the acked ones
    broker "$d/broker" "$port" || return
    subscribe "j$mode" "$port" "edgeseg/j$mode/hazards" "$d/sub.txt"; sub_started=1
  fi
  config "$d/edgeseg.json" "j$mode" "$d/queue" "$(mqtt_at "$port")"
  run "$d/edgeseg.json" "$d/run1.log"
  local rp=$RUN_PID
  if [ "$mode" = acked ]; then
    wait_for "[ \$(lines $d/sub.txt) -ge 2 ]" "$T_EVENT" "$rp" || say "journal-$mode: no event delivered"
    kill -KILL "$BROKER_PID"; wait "$BROKER_PID" 2>/dev/null
    local have; have=$(journal_events "$d/queue/alerts.journal")
    wait_for "[ \$(journal_events $d/queue/alerts.journal) -ge $((have + 3)) ]" "$T_EVENT" "$rp" || say "journal-$mode: no pending events"
  else
    wait_for "[ \$(journal_events $d/queue/alerts.journal) -ge 6 ]" "$T_EVENT" "$rp" || say "journal-$mode: fewer than 6 events stored"
  fi
  stop "$rp"; local code1=$STOP_CODE
  python3 "$work/journal.py" "$d/queue/alerts.journal" dump > "$d/before.tsv"
  local n; n=$(wc -l < "$d/before.tsv")
  local damaged=0 what
  case "$mode" in
    pending) what="seq $(python3 "$work/journal.py" "$d/queue/alerts.journal" flip $((n / 2)))"; damaged=1 ;;
    acked) what="seq $(python3 "$work/journal.py" "$d/queue/alerts.journal" flip 0) (acknowledged)" ;;
    header) python3 "$work/journal.py" "$d/queue/alerts.journal" flip-header; what="byte 9 of the 32-byte header" ;;
  esac
  [ "$sub_started" = 1 ] || { broker "$d/broker" "$port" || return; subscribe "j$mode" "$port" "edgeseg/j$mode/hazards" "$d/sub.txt"; }
  [ "$sub_started" = 1 ] && { broker "$d/broker" "$port" || return; }
  local enq1; enq1=$(python3 "$work/analyze.py" enqueued "$d/run1.log")
  second_run "$d/edgeseg.json" "$d/run2.log" "$d/sub.txt" $((enq1 - damaged + 2)); local code2=$STOP_CODE
  settle "$d/sub.txt" "$d/run1.log" "$d/run2.log"
  local ok=1 aside; aside=$(ls "$d/queue" | grep -c corrupt || true)
  [ "$mode" = acked ] || [ "$aside" -ge 1 ] || ok=0
  # the new run's events must be numbered above every stored one
  local maxbefore; maxbefore=$(tail -n1 "$d/before.tsv" | cut -f1)
  local notes="flipped a byte in $what of $n stored; $aside file(s) set aside; events stored before: seq ..$maxbefore"
  python3 "$work/analyze.py" row "flipped byte in $(case $mode in pending) echo "a pending record";; acked) echo "an acknowledged record";; header) echo "the journal header";; esac) between two runs" \
    "$d/sub.txt" "$code1/$code2" "$(elapsed)" "$ok" "$notes" --damaged "$damaged" --journal "$d/before.tsv" "$d/run1.log" "$d/run2.log" >> "$RESULTS"
  kill -TERM "$SUB_PID" "$BROKER_PID" 2>/dev/null
}

# ---------------------------------------------------------------- 5. wrong password
fault_password() {
  t0; local d="$work/password" port; port=$(free_port); mkdir -p "$d/broker"
  mosquitto_passwd -b -c "$d/broker/passwd" edgeseg right-secret >/dev/null 2>&1
  broker "$d/broker" "$port" "allow_anonymous false
password_file $d/broker/passwd" || return
  mosquitto_sub -h 127.0.0.1 -p "$port" -q 1 -c -i chaos-sub-pw -u edgeseg -P right-secret -t edgeseg/pw/hazards >> "$d/sub.txt" 2>>"$d/sub.err" &
  SUB_PID=$!; pids+=("$SUB_PID"); sleep 1
  local wrong="{ \"host\": \"127.0.0.1\", \"port\": $port, \"username\": \"edgeseg\", \"password\": \"wrong\" }"
  local right="{ \"host\": \"127.0.0.1\", \"port\": $port, \"username\": \"edgeseg\", \"password\": \"right-secret\" }"
  config "$d/wrong.json" pw "$d/queue" "$wrong"
  timeout 120 bin/edgeseg check --config "$d/wrong.json" > "$d/check.log" 2>&1; local check=$?
  run "$d/wrong.json" "$d/run1.log"
  local rp=$RUN_PID
  wait_for "[ \$(journal_events $d/queue/alerts.journal) -ge 2 ] && grep -q 'refused the connection' $d/run1.log" "$T_EVENT" "$rp" || say "password: no refusal logged"
  stop "$rp"; local code1=$STOP_CODE
  config "$d/right.json" pw "$d/queue" "$right"
  local enq1; enq1=$(python3 "$work/analyze.py" enqueued "$d/run1.log")
  second_run "$d/right.json" "$d/run2.log" "$d/sub.txt" $((enq1 + 2)); local code2=$STOP_CODE
  settle "$d/sub.txt" "$d/run1.log" "$d/run2.log"
  local reason; reason=$(grep -o 'refused the connection as [^:]*: [^(]*' "$d/run1.log" | head -n1 | sed 's/ *$//')
  local checkline; checkline=$(grep -i 'broker' "$d/check.log" | head -n1 | cut -c1-140)
  local ok=1; [ "$check" != 0 ] && [ -n "$reason" ] || ok=0
  python3 "$work/analyze.py" row "wrong password (mosquitto password_file): run, then a run with the right password" "$d/sub.txt" "$code1/$code2" "$(elapsed)" "$ok" \
    "log: '$reason'; edgeseg check exit $check: '$checkline'" "$d/run1.log" "$d/run2.log" >> "$RESULTS"
  kill -TERM "$SUB_PID" "$BROKER_PID" 2>/dev/null
}

# ---------------------------------------------------------------- 6. foreign client spoofing the embedded broker
fault_spoof() {
  t0; local d="$work/spoof" port; port=$(free_port); mkdir -p "$d"
  config "$d/edgeseg.json" spoof "$d/queue" "{ \"embedded_port\": $port }"
  run "$d/edgeseg.json" "$d/run.log"
  local rp=$RUN_PID
  wait_port "$port" 60 || say "spoof: embedded broker not listening on $port"
  mosquitto_sub -V mqttv5 -h 127.0.0.1 -p "$port" -q 1 -c -i chaos-sub-spoof -x 600 -t edgeseg/spoof/hazards >> "$d/sub.txt" 2>>"$d/sub.err" &
  SUB_PID=$!; pids+=("$SUB_PID")
  mosquitto_sub -V mqttv5 -h 127.0.0.1 -p "$port" -q 1 -i chaos-watch-spoof -t 'edgeseg/spoof/#' -v >> "$d/all.txt" 2>>"$d/all.err" &
  local wp=$!; pids+=("$wp")
  wait_for "[ \$(lines $d/sub.txt) -ge 1 ]" "$T_EVENT" "$rp" || say "spoof: no event delivered"
  local fake='{"seq":999999,"id":"fake","type":"new","device_id":"spoof"}'
  timeout 10 mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$port" -q 1 -i foreign -t edgeseg/spoof/hazards -m "$fake" > "$d/pub1.log" 2>&1; local p1=$?
  timeout 10 mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$port" -q 1 -i foreign -r -t edgeseg/spoof/available -m offline > "$d/pub2.log" 2>&1; local p2=$?
  timeout 10 mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$port" -q 1 -i edgeseg-spoof -t edgeseg/spoof/hazards -m "$fake" > "$d/pub3.log" 2>&1; local p3=$?
  sleep 3
  stop "$rp"; local code=$STOP_CODE
  sleep 1
  local fakes; fakes=$(grep -c '999999' "$d/all.txt" || true)
  local offline; offline=$(grep -c 'available offline' "$d/all.txt" || true)
  local refusals; refusals=$(grep -ci 'refus\|not authori' "$d/run.log" || true)
  local ok=1; [ "$fakes" = 0 ] || ok=0
  python3 "$work/analyze.py" row "foreign client publishes a fake hazard (seq 999999) and a retained available=offline to the embedded broker" "$d/sub.txt" "$code" "$(elapsed)" "$ok" \
    "fake hazards received by a subscriber: $fakes; mosquitto_pub exits: $p1 (fake hazard), $p2 (retained offline), $p3 (runtime's client id, no password): $(head -c 80 "$d/pub1.log" | tr '\n' ' '); runtime log lines naming a refusal: $refusals" "$d/run.log" >> "$RESULTS"
  kill -TERM "$SUB_PID" "$wp" 2>/dev/null
}

# CHAOS_FAULTS: a space-separated subset, e.g. "journal-acked stall"
for f in ${CHAOS_FAULTS:-stall restart sigterm journal-pending journal-acked journal-header password spoof}; do
  say "== $f ($(cut -d' ' -f1-3 /proc/loadavg))"
  case "$f" in
    stall) fault_stall ;; restart) fault_restart ;; sigterm) fault_sigterm ;;
    journal-pending) fault_journal pending ;; journal-acked) fault_journal acked ;; journal-header) fault_journal header ;;
    password) fault_password ;; spoof) fault_spoof ;;
    *) say "unknown fault '$f' (expected stall restart sigterm journal-pending journal-acked journal-header password spoof)"; exit 2 ;;
  esac
  tail -n1 "$RESULTS"
done

total=$(( $(date +%s) - started ))
context="Generated by \`make chaos\` (build/chaos.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores shared with other builds, load average $load_start at start and $(cut -d' ' -f1-3 /proc/loadavg) at the end; $total s in all. Model $(basename "$MODEL"), ${FRAMES} RoadAnomaly21 images looped, tracking confirm 1 / end after 1 missed frame, mosquitto $("$MOSQUITTO" -h 2>/dev/null | head -n1 | grep -o '[0-9][0-9.]*' | head -n1) on 127.0.0.1, subscriber \`mosquitto_sub -q 1 -c\`. Enqueued = the runtime's final \`events N\` stats line (summed over runs); delivered = distinct \`seq\` received; lost = enqueued - damaged - delivered; seq reused = a \`seq\` received with two payloads or with a payload other than the one stored before the fault; reconnects = connections after the first (attempts incl. failed ones), from the runtime's stop line; exit codes of each run (every run ends with SIGTERM once its part is done; a \`/\` separates two runs; a second run loops the folder until the subscriber has the first run's events and 2 more)."
mkdir -p "$(dirname "$JSON")"
cp "$RESULTS" "${JSON%.json}.jsonl"
bin/edgeseg-tools chaos-report --results "$RESULTS" --doc "$DOC" --json "$JSON" --context "$context"
