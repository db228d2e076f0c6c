#!/usr/bin/env bash
# Calibrates the fine-tuned void ENet written by train-demo: temperature on the Cityscapes sample, VoidClass threshold
# for TPR 0.95 on fs_static; the log goes to docs/training/calibration.log (included in docs/training.md).
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${EDGESEG_SHARED:-$(cd .. && pwd)/shared}"
model="${CALIBRATION_MODEL:-models/enet-seed-560-void-finetuned.onnx}"
tools=(nice -n 10 bin/edgeseg-tools)
mkdir -p docs/training
{
  echo "\$ edgeseg-tools calibrate-temperature --model $model --data cityscapes-sample --format cityscapes --max-images 8 --stride 16"
  "${tools[@]}" calibrate-temperature --model "$model" --data "$shared/data/cityscapes-sample" --format cityscapes --max-images 8 --stride 16 2>&1 \
    | grep -v "pixels cached" | sed -E 's/^[0-9:]+ info: [a-z-]+\[0\] //'
  echo "\$ edgeseg-tools calibrate-threshold --model $model --data Validation_Dataset/fs_static --method VoidClass --target-tpr 0.95"
  "${tools[@]}" calibrate-threshold --model "$model" --data "$shared/data/Validation_Dataset/fs_static" --method VoidClass --target-tpr 0.95 2>&1 \
    | grep -vE "\] \[[0-9]+/[0-9]+\]" | sed -E 's/^[0-9:]+ info: [a-z-]+\[0\] //'
  echo "\$ jq .temperature,.threshold ${model%.onnx}.json"
  python3 -c "import json,sys; c=json.load(open(sys.argv[1])); print(json.dumps({'temperature': c['temperature'], 'threshold': c['threshold']}, indent=2))" "${model%.onnx}.json"
} > docs/training/calibration.log
cat docs/training/calibration.log
