#!/usr/bin/env bash
# Quantizes ENet and ERFNet (PTQ, ORT CPU target) and evaluates float vs int8 (VoidClass, MaxLogit) on the 4 datasets.
set -euo pipefail
T=bin/edgeseg-tools
[ -f models/erfnet-void-int8-fx.onnx ] || { echo "run make models-int8 first" >&2; exit 2; }
SHARED=${EDGESEG_SHARED:-../shared}
CAL=$SHARED/data/cityscapes-sample/leftImg8bit
DATA=$SHARED/data/Validation_Dataset
mkdir -p reports
$T quantize --model models/enet-seed-560-void.onnx --calib "$CAL" --count 8 --method minmax --target cpu --keep-float fullconv --out models/enet-seed-560-void-int8.onnx
$T quantize --model models/erfnet-void-dequant.onnx --calib "$CAL" --count 8 --method minmax --target cpu --keep-float decoder.output_conv --out models/erfnet-void-int8-ptq.onnx
for m in ${MODELS:-enet-seed-560-void enet-seed-560-void-int8 erfnet-void-dequant erfnet-void-int8-ptq erfnet-void-int8-fx erfnet-void-pruned-int8-fx midenet-distilled midenet-pruned-int8-fx}; do
  [ -f "reports/eval-$m/results.json" ] && continue
  $T evaluate --model "models/$m.onnx" --data "$DATA" --methods VoidClass,MaxLogit --out "reports/eval-$m"
done
