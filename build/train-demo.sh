#!/usr/bin/env bash
# make train-demo: trains MiDE-Net and ENet on CamVid (TRAIN_MINUTES each), fine-tunes the void channel of enet-seed-560
# on the Cityscapes sample, trains BiSeNetV1 for BISENET_MINUTES, exports models/*.onnx + cards, writes docs/training.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
shared="${EDGESEG_SHARED:-$(cd .. && pwd)/shared}"
weights="${EDGESEG_WEIGHTS:-$shared/weights}"
minutes="${TRAIN_MINUTES:-60}"
bisenet_minutes="${BISENET_MINUTES:-5}"
epochs="${TRAIN_EPOCHS:-100}"
batch="${TRAIN_BATCH:-4}"
val_images="${VAL_IMAGES:-101}"
steps="${TRAIN_STEPS:-}"
finetune_epochs="${FINETUNE_EPOCHS:-30}"
runs="${RUNS_DIR:-runs}"
bisenet_input="${BISENET_INPUT:-352x480}" # BiSeNetV1 needs multiples of 32
only="${DEMO_RUNS:-midenet-camvid enet-camvid bisenetv1-camvid enet-seed-560-void-finetuned}"
wanted() { [[ " $only " == *" $1 "* ]]; }
tools=(nice -n 10 bin/edgeseg-tools)
step_args=()
[ -n "$steps" ] && step_args=(--max-steps "$steps")
mkdir -p models docs/training "$runs"

train() { # name model minutes input
  wanted "$1" || return 0
  "${tools[@]}" train --model "$2" --dataset camvid --data "$shared/data/CamVid" --input "$4" --epochs "$epochs" \
    --batch-size "$batch" --max-minutes "$3" --max-val-images "$val_images" "${step_args[@]}" \
    --out "$runs/$1" --export "models/$1.onnx"
  cp "$runs/$1/loss.png" "docs/training/$1-loss.png"
  [ -f "$runs/$1/miou.png" ] && cp "$runs/$1/miou.png" "docs/training/$1-miou.png"
  cp "$runs/$1/training.csv" "docs/training/$1.csv"
  echo "budget $3 min, input $4, batch $batch, ${steps:-all} steps/epoch max, T = $epochs, val on ${val_images} images" > "docs/training/$1.settings"
  # The exported model through ONNX Runtime with the runtime's preprocessing, on all of CamVid val.
  "${tools[@]}" miou --model "models/$1.onnx" --data "$shared/data/CamVid" --format camvid --split val --json "docs/training/$1-miou.json" \
    | tee "docs/training/$1-miou.txt"
}

train midenet-camvid midenet "$minutes" 360x480
train enet-camvid enet "$minutes" 360x480
train bisenetv1-camvid bisenet "$bisenet_minutes" "$bisenet_input"

if wanted enet-seed-560-void-finetuned; then

# The pretrained seed ENet was trained on Cityscapes-standardised input (docs/models.md): the same standardisation feeds
# the frozen layers here and is written into the exported graph, which takes the paper's [0,1] input.
"${tools[@]}" finetune-void --model enet-seed --checkpoint "$weights/seed/pretrained/enet_560_epochs.pth" \
  --input-mean 0.28689529,0.32513294,0.28389176 --input-std 0.17613647,0.18099176,0.17772235 \
  --data "$shared/data/cityscapes-sample" --epochs "$finetune_epochs" --batch-size 2 --input 512x1024 \
  --max-minutes "$minutes" --out "$runs/enet-seed-560-void-finetuned" --export models/enet-seed-560-void-finetuned.onnx
cp "$runs/enet-seed-560-void-finetuned/loss.png" docs/training/enet-seed-560-void-finetuned-loss.png
cp "$runs/enet-seed-560-void-finetuned/training.csv" docs/training/enet-seed-560-void-finetuned.csv
echo "budget $minutes min, input 512x1024, batch 2, $finetune_epochs epochs, val on the 8 train frames" > docs/training/enet-seed-560-void-finetuned.settings
"${tools[@]}" evaluate --model models/enet-seed-560-void-finetuned.onnx --data "$shared/data/Validation_Dataset" --methods VoidClass \
  --out "$runs/enet-seed-560-void-finetuned/eval" | tee "$runs/enet-seed-560-void-finetuned/eval.log"
grep -o '[A-Za-z0-9_]* VoidClass: AuPRC.*' "$runs/enet-seed-560-void-finetuned/eval.log" > docs/training/enet-seed-560-void-finetuned-eval.txt
fi

wanted enet-seed-560-void-finetuned && bash build/calibration-demo.sh
bash build/training-doc.sh "$minutes" "$bisenet_minutes" "$epochs" "$batch" "$val_images" "$steps" "$finetune_epochs" > docs/training.md.tmp
mv docs/training.md.tmp docs/training.md
echo "wrote docs/training.md"
