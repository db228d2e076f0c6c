#!/usr/bin/env bash
# Builds every compressed model of build/compression-bench.json that is missing or older than its source (each with
# its model card beside it): the paper's FX INT8 files (make models-int8, into models/), ENet / ERFNet / MiDE-Net INT8
# PTQ (into artifacts/compression/), the 30 %-pruned fine-tuned ERFNet (artifacts/prune/) and its INT8 PTQ.
# Run by `make bench-compression` (build/bench-compression.sh) and `make alert-quality` (build/alert-quality.sh).
set -euo pipefail
T=${EDGESEG_TOOLS:-bin/edgeseg-tools}
SHARED=${EDGESEG_SHARED:-../shared}
CAL=$SHARED/data/cityscapes-sample/leftImg8bit
OUT=artifacts/compression
# ERFNet PTQ settings (see docs/compression.md for the calibration comparison).
ERFNET_PTQ_ARGS=${ERFNET_PTQ_ARGS:---method percentile --percentile 99.99 --count 8 --keep-sensitive 4}
ENET_PTQ_ARGS=${ENET_PTQ_ARGS:---method percentile --percentile 99.99 --count 8}
mkdir -p "$OUT" artifacts/prune

[ -f models/erfnet-void-int8-fx.onnx ] && [ -f models/erfnet-void-pruned-int8-fx.onnx ] && [ -f models/midenet-pruned-int8-fx.onnx ] \
  || make --no-print-directory models-int8

build() { # target source command...: (re)build when the target is missing or older than its source model
  local target=$1 source=$2; shift 2
  if [ ! -f "$target" ] || [ "$source" -nt "$target" ]; then echo "== build $target"; "$@"; fi
}

build "$OUT/enet-seed-560-void-int8.onnx" models/enet-seed-560-void.onnx $T quantize --model models/enet-seed-560-void.onnx --calib "$CAL" $ENET_PTQ_ARGS \
  --target cpu --keep-float fullconv --out "$OUT/enet-seed-560-void-int8.onnx"
build "$OUT/erfnet-void-int8-ptq.onnx" models/erfnet-void-dequant.onnx $T quantize --model models/erfnet-void-dequant.onnx --calib "$CAL" $ERFNET_PTQ_ARGS \
  --target cpu --keep-float decoder.output_conv --out "$OUT/erfnet-void-int8-ptq.onnx"
build "$OUT/midenet-distilled-int8.onnx" models/midenet-distilled.onnx $T quantize --model models/midenet-distilled.onnx --calib "$CAL" --method percentile --percentile 99.99 --count 8 \
  --target cpu --out "$OUT/midenet-distilled-int8.onnx"
# The 30%-pruned ERFNet is fine-tuned on the Cityscapes frames at hand (PRUNE_FINETUNE_MINUTES, default 30 on 2 cores).
build artifacts/prune/erfnet-void-pruned30-ft.onnx models/erfnet-void-dequant.onnx nice $T prune --model erfnet-void-dequant --ratio 0.3 --channel-multiple 16 \
  --finetune "$SHARED/data/cityscapes-sample" --epochs 10 --finetune-input 256x512 --max-minutes "${PRUNE_FINETUNE_MINUTES:-30}" \
  --out artifacts/prune/erfnet-void-pruned30-ft.onnx

build "$OUT/erfnet-void-pruned30-ft-int8.onnx" artifacts/prune/erfnet-void-pruned30-ft.onnx $T quantize --model artifacts/prune/erfnet-void-pruned30-ft.onnx \
  --calib "$CAL" $ERFNET_PTQ_ARGS --target cpu --keep-float decoder.output_conv --out "$OUT/erfnet-void-pruned30-ft-int8.onnx"
