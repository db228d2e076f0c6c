#!/usr/bin/env bash
# Plain model vs the same network with heads (score + road mask in the graph), interleaved so that both see the same
# machine load: `edgeseg bench --pipeline` on the RoadAnomaly21 images, HEADS_ROUNDS rounds of (plain, heads).
# Writes reports/bench-heads-<variant>-<round>.json and the summary reports/bench-heads.md (p50 per stage, load average).
set -euo pipefail
MODEL=${HEADS_MODEL:-models/enet-seed-560-void}
ROUNDS=${HEADS_ROUNDS:-3}
FRAMES=${HEADS_FRAMES:-30}
SOURCE="${EDGESEG_SHARED:-../shared}/data/Validation_Dataset/RoadAnomaly21/images"
mkdir -p reports
for ((r = 1; r <= ROUNDS; r++)); do
  for variant in plain heads; do
    model="$MODEL.onnx"; [[ $variant == heads ]] && model="$MODEL-heads.onnx"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    bin/edgeseg bench --model "$model" --provider cpu --iterations 20 --warmup 3 --pipeline --source "$SOURCE" \
      --max-frames "$FRAMES" --config deploy/edgeseg.sample-images.json --json "reports/bench-heads-$variant-$r.json" >/dev/null
    echo "$variant $r $load" >> reports/bench-heads.load.tmp
  done
done
python3 - "$MODEL" "$ROUNDS" <<'PY'
import json, statistics, sys
model, rounds = sys.argv[1], int(sys.argv[2])
loads = {}
for line in open("reports/bench-heads.load.tmp"):
    v, r, *l = line.split()
    loads[(v, int(r))] = " ".join(l)
rows = []
for r in range(1, rounds + 1):
    for v in ("plain", "heads"):
        j = json.load(open(f"reports/bench-heads-{v}-{r}.json"))
        bare = j["bare"]
        st = j["stages"]
        rows.append((v, r, bare["breakdown"]["inference"]["p50_ms"] if "breakdown" in bare else bare["p50_ms"],
                     bare["breakdown"]["score"]["p50_ms"] if "breakdown" in bare else float("nan"),
                     st["inference"]["p50_ms"], st["score"]["p50_ms"], j["end_to_end_fps"], j["bare_inference_fps"], loads[(v, r)]))
out = [f"# Heads in the graph: {model} plain vs -heads (interleaved, {rounds} rounds)", "",
       "bare = `edgeseg bench` (single image, 20 runs): inference p50 and its score step (plain: MaxLogitScorer on the logits; heads: copy of the graph's score).",
       "pipeline = `edgeseg bench --pipeline` on RoadAnomaly21 (stage p50 over the frames; plain: the card's scorer + road argmax on the CPU).", "",
       "| model | round | bare inference p50 ms | bare score p50 ms | pipeline inference p50 ms | pipeline score p50 ms | end-to-end fps | bare fps | load avg (1/5/15 min) |",
       "|---|---|---|---|---|---|---|---|---|"]
for v, r, bi, bs, pi, ps, e2e, bf, load in rows:
    out.append(f"| {v} | {r} | {bi:.1f} | {bs:.2f} | {pi:.1f} | {ps:.2f} | {e2e:.2f} | {bf:.2f} | {load} |")
for v in ("plain", "heads"):
    sel = [x for x in rows if x[0] == v]
    out.append(f"| **{v} median** | | {statistics.median(x[2] for x in sel):.1f} | {statistics.median(x[3] for x in sel):.2f} | "
               f"{statistics.median(x[4] for x in sel):.1f} | {statistics.median(x[5] for x in sel):.2f} | {statistics.median(x[6] for x in sel):.2f} | {statistics.median(x[7] for x in sel):.2f} | |")
open("reports/bench-heads.md", "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
rm -f reports/bench-heads.load.tmp
