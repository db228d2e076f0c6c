#!/usr/bin/env bash
# make alert-quality: per model and configuration, pixel AuPRC / FPR95 + component metrics (evaluate), what a driver gets
# on the four labelled sets and the two highway clips (evaluate-hazards), leave-one-set-out operating points of the
# shipped model (calibrate-threshold --objective --dry-run), then docs/alert-quality.md (alert-quality-report).
# The compressed models of `make bench-compression` (build/compression-bench.json: INT8 PTQ, the paper's FX INT8 files,
# the pruned ERFNet) are built when missing (build/compressed-models.sh) and measured like the float models, plus the
# float baseline's shipped operating point written into the compressed model's card (configuration baseline-point).
# Reports under reports/alert-quality/ (git-ignored); pictures under docs/images/alert-quality/.
#
# ALERT_MODELS: float models (names under models/; "none" for none); ALERT_COMPRESSED: compressed models (.onnx paths; default every
# entry of build/compression-bench.json with a baseline; "none" for none); ALERT_LOSO=0 skips leave-one-set-out;
# ALERT_KEEP=1 keeps the other reports under ALERT_OUT (only the models run now are replaced) so that a partial run
# merges with the rows of an earlier one.
set -euo pipefail
SHARED="${EDGESEG_SHARED:-../shared}"
OUT="${ALERT_OUT:-reports/alert-quality}"
DATA="$SHARED/data/Validation_Dataset"
CLIPS=(--data "$SHARED/data/videos/highway-vehicles.mp4" --data "$SHARED/data/videos/highway-solidWhiteRight.mp4")
PLAN=build/compression-bench.json
plan() { sed -e 's#^[[:space:]]*//.*##' "$PLAN" | jq -r "$@"; } # the plan has // comments
MODELS="${ALERT_MODELS:-enet-seed-560-void enet-seed-340-void erfnet-void-dequant midenet-distilled}"
COMPRESSED="${ALERT_COMPRESSED:-$(plan '.models[] | select(.baseline != null) | .model' | paste -sd' ' -)}"
[ "$MODELS" = none ] && MODELS=""
[ "$COMPRESSED" = none ] && COMPRESSED=""
SHIPPED="${ALERT_SHIPPED:-enet-seed-560-void}"
OBJECTIVE="${ALERT_OBJECTIVE:-recall-at-fewest-false-alerts}"
MIN_RECALL="${ALERT_MIN_RECALL:-0.1}"
LOSO="${ALERT_LOSO:-1}"
CONFIG=deploy/edgeseg.sample-images.json
TOOLS=${EDGESEG_TOOLS:-bin/edgeseg-tools}
SETS=(RoadObsticle21 fs_static RoadAnomaly21 RoadAnomaly)

if [ -n "$COMPRESSED" ]; then bash build/compressed-models.sh; fi

if [ "${ALERT_KEEP:-0}" = 1 ]; then
  for m in $MODELS $COMPRESSED; do rm -rf "$OUT/$(basename "$m" .onnx)"; done
  if [ "$LOSO" = 1 ]; then rm -rf "$OUT/loso"; fi
else
  rm -rf "$OUT"
fi
mkdir -p "$OUT"

hazards() { # model.onnx folder [env...]: evaluate-hazards on the labelled sets (sample-images settings, confirm 1) and the clips (runtime tracking, confirm 3, end 5)
  local onnx=$1 dir=$2; shift 2
  env "$@" $TOOLS evaluate-hazards --model "$onnx" --config "$CONFIG" --data "$DATA" --out "$dir+sets" > /dev/null
  env "$@" EDGESEG__MODEL__PROVIDERS='["cpu"]' $TOOLS evaluate-hazards --model "$onnx" "${CLIPS[@]}" --out "$dir+clips" > /dev/null
}

measure() { # model.onnx [baseline name]: every configuration of one model
  local onnx=$1 baseline=${2:-} m card methods=MaxLogit
  m=$(basename "$onnx" .onnx)
  card="${onnx%.onnx}.json"
  [ -f "$card" ] || { echo "alert-quality: model card not found: '$card' (expected beside '$onnx')" >&2; exit 1; }
  echo "== $m${baseline:+ (compressed; baseline $baseline)}"
  if grep -q '"default_score": "VoidClass"' "$card"; then methods=VoidClass,MaxLogit; fi
  $TOOLS evaluate --model "$onnx" --data "$DATA" --methods "$methods" --out "$OUT/$m/pixel"
  # the card's default score at its documented default threshold (the shipped default before operating points)
  hazards "$onnx" "$OUT/$m/card-default" EDGESEG__SCORING__USE_OPERATING_POINT=false
  if [ -z "$baseline" ] && [ -f "models/operating-points/$m.json" ]; then
    hazards "$onnx" "$OUT/$m/operating-point"
  fi
  # a compressed model with the shipped point of its float baseline, unchanged (not re-chosen on its own outputs):
  # apply-operating-points writes it into the compressed card and refuses it when the card cannot run it
  if [ -n "$baseline" ] && [ -f "models/operating-points/$baseline.json" ]; then
    local tmp
    tmp=$(mktemp -d)
    cp "models/operating-points/$baseline.json" "$tmp/$m.json"
    if $TOOLS apply-operating-points --from "$tmp" --models "$(dirname "$onnx")"; then
      hazards "$onnx" "$OUT/$m/baseline-point"
    else
      echo "alert-quality: $m cannot run the operating point of $baseline; card default only" >&2
    fi
    rm -rf "$tmp"
  fi
}

for m in $MODELS; do measure "models/$m.onnx"; done
for c in $COMPRESSED; do
  base=$(plan --arg c "$c" '(.models[] | select(.model == $c) | .baseline) as $b | .models[] | select(.name == $b) | .model')
  [ -n "$base" ] || { echo "alert-quality: '$c' is not a compressed model of $PLAN" >&2; exit 1; }
  measure "$c" "$(basename "$base" .onnx)"
done

# leave one set out: chosen on one set, reported on the other three
if [ "$LOSO" = 1 ]; then
  mkdir -p "$OUT/loso"
  for s in "${SETS[@]}"; do
    others=$(printf '%s\n' "${SETS[@]}" | grep -vx "$s" | paste -sd, -)
    $TOOLS calibrate-threshold --model "models/$SHIPPED.onnx" --data "$DATA" --config "$CONFIG" --objective "$OBJECTIVE" --min-recall "$MIN_RECALL" \
      --scorers VoidClass --variants build/alert-quality-variants.json --choose-on "$s" --check-on "$others" --dry-run --report "$OUT/loso/$SHIPPED-chosen-on-$s.json"
  done
fi

$TOOLS alert-quality-report --reports "$OUT" --plan "$PLAN" --notes docs/alert-quality-notes.md --out docs/alert-quality.md --images docs/images/alert-quality
