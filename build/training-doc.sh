#!/usr/bin/env bash
# Writes docs/training.md (to stdout) from docs/training/*.csv written by build/train-demo.sh.
set -euo pipefail
minutes="$1"; bisenet_minutes="$2"; epochs="$3"; batch="$4"; val_images="$5"; steps="$6"; finetune_epochs="$7"
cd "$(dirname "$0")/.."
summary() { # csv -> epochs, steps, seconds, first loss, last loss, best val mIoU (epoch)
  awk -F, 'NR>1 { n++; s+=$7; t+=$6; if (n==1) f=$3; l=$3; if ($5!="" && $5+0>=b) { b=$5+0; be=$1 } }
           END { printf "%d | %d | %.0f | %.4f | %.4f | %s", n, s, t, f, l, (be ? sprintf("%.4f (epoch %d)", b, be) : "n/a") }' "$1"
}
cat <<DOC
# Training, fine-tuning, distillation and calibration (host)

All verbs are in \`edgeseg-tools\` (\`src/Host.Tools/Commands\`); the loop, data, weighting and checkpoints live in
\`src/Host.Tools/Training\`, temperature / threshold calibration in \`src/Host.Tools/Calibration\`.

## Commands

\`\`\`bash
# Train from scratch (Adam, poly schedule per epoch, val mIoU each epoch, best checkpoint exported to ONNX + card)
bin/edgeseg-tools train --model enet|erfnet|bisenet|midenet --dataset cityscapes|camvid --data DIR \\
  [--epochs 100] [--batch-size 4] [--lr 5e-4] [--weight-decay 2e-4] [--input 360x480] [--class-weights enet|median|none] \\
  [--void] [--out runs/NAME] [--export models/NAME.onnx] [--resume runs/NAME | runs/NAME/epoch-007.json] [--max-minutes M] \\
  [--stop-after N] [--max-steps N] [--max-val-images N] [--seed 1]

# The paper's void classifier: every layer but the last frozen, unlabelled pixels = class 19 with weight 1
bin/edgeseg-tools finetune-void --model enet-seed --checkpoint ../shared/weights/seed/pretrained/enet_560_epochs.pth \\
  --input-mean 0.28689529,0.32513294,0.28389176 --input-std 0.17613647,0.18099176,0.17772235 \\
  --data ../shared/data/cityscapes-sample --epochs 30 [--input 512x1024] [same run options]

# Every run verb takes --input-mean R,G,B --input-std R,G,B for a checkpoint trained on standardised input: the batch is
# standardised before the network and the exported graph starts with the same Sub/Div, so it still takes [0,1] images.

# Distillation: tau^2 * KL(softmax(t/tau) || softmax(s/tau)) [* alpha, + (1 - alpha) * CE when the data has labels]
bin/edgeseg-tools distill --teacher models/enet-seed-560.onnx | --teacher enet-seed --teacher-checkpoint X.pth \\
  --student midenet --data DIR [--format cityscapes|camvid|images] [--tau 4] [--alpha 0.5] [same run options]

# Temperature: T minimising the NLL of labelled pixels (void/ignore skipped), NLL/ECE on the paper's grid, T -> card
bin/edgeseg-tools calibrate-temperature --model models/X.onnx | --model ARCH --checkpoint X.pth|X.weights [--classes 20] [--input HxW] \\
  --data DIR --format cityscapes|camvid [--split val] [--max-images 50] [--stride 16] [--card X.json]

# Threshold of a score for a target TPR (default 0.95) or a maximum FPR on a labelled anomaly set -> card "threshold"
bin/edgeseg-tools calibrate-threshold --model models/X.onnx --data ../shared/data/Validation_Dataset/fs_static \\
  --method MaxLogit|MSP|MaxEntropy|VoidClass|Energy (--target-tpr 0.95 | --max-fpr 0.05) [--temperature T]
\`\`\`

## What the training does

- **Data.** Cityscapes layout (\`leftImg8bit/<split>/<city>\` + \`gtFine/..._labelIds.png\`): labelIds -> 19 trainIds with the
  cityscapesScripts table, the rest ignored (255); \`--void\` (and \`finetune-void\`) turns every ignored pixel into class 19.
  Without a \`val\` split (the 8-frame sample) validation runs on the train frames (the log says so by the counts).
  CamVid (\`train/\` + \`trainannot/\`, \`val/\` + \`valannot/\`): classes 0..10, 11 (void) ignored. Images are decoded with
  OpenCV and scaled /255, no mean/std (the paper's protocol). A label whose size differs from its image, a missing label or an
  undecodable file stops the run with a message naming the file.
- **Augmentation** (seeded): random scale in [0.75, 1.5] of the input size (bilinear image, nearest label), random crop back to
  the input size (padding: black image, ignored label), horizontal flip with p = 0.5. Validation: plain resize to the input size.
- **Class weights**: \`enet\` w_c = 1 / ln(1.02 + p_c) (p_c = share of labelled pixels), \`median\` w_c = median(f) / f_c with
  f_c = pixels of c / pixels of the images containing c (absent classes 0), \`none\`.
- **Optimiser**: Adam(lr, weight decay); learning rate per epoch λ(t) = lr · (1 − (t − 1)/T)^0.9, t = 1..T (\`--epochs\` = T).
  The last incomplete batch of an epoch is dropped (BatchNorm needs more than one value per channel).
- **Validation** after every epoch: loss and mIoU (\`Edge.Runtime.Metrics.ConfusionMatrix\`, mean over present classes).
  The best epoch is the highest val mIoU (distillation on unlabelled images: lowest val loss, else lowest train loss).
- **Budget**: \`--max-minutes\` stops the running epoch (after at least one step), validates, checkpoints and exports.
- **Outputs** in \`--out\`: \`epoch-NNN.weights\` (TorchSharp state dict), \`epoch-NNN.optim\` (Adam state),
  \`epoch-NNN.json\` (epoch, optimizer step, total epochs, best epoch/score, the whole epoch log), \`best.weights\`,
  \`training.csv\` (epoch, lr, train loss, val loss, val mIoU, seconds, steps, complete), \`loss.png\`, \`miou.png\`, and the best
  checkpoint exported as ONNX + model card (\`OnnxExporter\` + \`ModelCard\`; CamVid cards carry the CamVid class names).

### What \`--resume\` restores

\`--resume\` takes an \`epoch-NNN.json\` (or a run folder: its last one) and restores the network's parameters and buffers
(BatchNorm running statistics), the Adam state (step count and both moment estimates, TorchSharp \`save_state_dict\` /
\`load_state_dict\`), the epoch and optimizer step counters, the best epoch and score and the epoch log (so the CSV and the
curves continue). Shuffling, augmentation and dropout are seeded per epoch from \`--seed\` and the epoch number, so a resumed
run continues exactly as the uninterrupted one: \`ResumeTests\` trains 3 epochs straight and 1 + resume + 2, and
requires every parameter and buffer to be bit-identical. Not restored: a partially trained epoch (a run stopped by the budget
resumes at the next epoch) and the settings themselves (pass the same options; architecture and class count are checked).

### Distillation

The teacher is a TorchSharp network imported strictly from a PyTorch checkpoint, or an exported \`.onnx\` run through ONNX
Runtime (CPU, image by image; the training \`--input\` must equal the ONNX input size). Loss per pixel:
τ²·KL(softmax(t/τ) ‖ softmax(s/τ)) averaged over pixels; with labels the loss is α·KD + (1 − α)·CE; a plain image folder
(\`--format images\`) trains on the KD term alone. The student has the teacher's number of classes.

### Calibration

- \`calibrate-temperature\` runs the model (ONNX Runtime, or a TorchSharp network from a checkpoint) on labelled images at the
  model size (Pillow-bilinear preprocessing as the runtime, labels nearest), caches every \`--stride\`-th labelled pixel's logits
  and minimises the NLL over log T by golden-section search (NLL is unimodal in log T), then reports NLL and ECE (15 bins) for
  the fitted T, T = 1 and the paper's grid (0.5, 0.75, 1.1, 2.15) and writes \`temperature\` into the model card.
- \`calibrate-threshold\` scores every pixel of a course-layout anomaly set (\`images/\` + \`labels_masks/\`; 1 anomaly, 0 normal,
  rest ignored; RoadAnomaly also 2) with the eval branch's scorers (\`Edge.Runtime.Scoring\`) into an exact score histogram
  (\`Edge.Runtime.Metrics.ScoreHistogram\`) and picks, with anomaly ⇔ score ≥ threshold, the highest threshold reaching the target
  TPR (\`--target-tpr\`) or the lowest one keeping FPR ≤ \`--max-fpr\`. The card gets
  \`"threshold": {"value", "method", "score", "target", "tpr", "fpr", "dataset", "temperature"}\`; the runtime's
  \`ThresholdResolver\` reads \`value\` when \`score\` matches its scorer.

## Demo: \`make train-demo\`

\`make train-demo\` (variables: \`TRAIN_MINUTES\` per model, default 60; \`BISENET_MINUTES\`, default 5; \`TRAIN_EPOCHS\` = T of the
poly schedule, default 100; \`TRAIN_BATCH\`; \`VAL_IMAGES\`; \`TRAIN_STEPS\` max steps per epoch; \`FINETUNE_EPOCHS\`, default 30; \`DEMO_RUNS\` selects runs)
trains MiDE-Net and ENet on CamVid train at 360x480, BiSeNetV1 for a few minutes (at 352x480: it needs multiples of 32), fine-tunes the void channel of
enet-seed-560 on the 8 Cityscapes frames, exports \`models/midenet-camvid.onnx\`, \`models/enet-camvid.onnx\`,
\`models/bisenetv1-camvid.onnx\`, \`models/enet-seed-560-void-finetuned.onnx\` with their cards and regenerates this file.

### Results of the run committed here

**Short-budget runs, not converged trainings** (settings per run in the table; \`DEMO_RUNS\` re-runs single ones),
\`nice -n 10\` on 2 CPU cores shared with other jobs (table generated $(date -u +%Y-%m-%d)).
The numbers prove the path (loss falls, checkpoints, export), they are not the networks' accuracy: the paper trains
hundreds of epochs on a GPU.

| run | settings | epochs | steps | seconds | first-epoch train loss | last-epoch train loss | best val mIoU |
|---|---|---|---|---|---|---|---|
DOC
for run in midenet-camvid enet-camvid bisenetv1-camvid enet-seed-560-void-finetuned; do
  [ -f "docs/training/$run.csv" ] && echo "| $run | $(cat "docs/training/$run.settings" 2>/dev/null) | $(summary "docs/training/$run.csv") |"
done
echo
for run in midenet-camvid enet-camvid bisenetv1-camvid enet-seed-560-void-finetuned; do
  [ -f "docs/training/$run-loss.png" ] || continue
  echo "**$run**: ![loss](training/$run-loss.png)"
  [ -f "docs/training/$run-miou.png" ] && echo "![mIoU](training/$run-miou.png)"
  echo
done
echo "Per-epoch logs: \`docs/training/*.csv\`. The void fine-tune validates on its own 8 training frames (the sample has no val split)."
echo
echo
echo "Exported CamVid models evaluated by \`edgeseg-tools miou\` (ONNX Runtime, the runtime's Pillow-exact preprocessing, all 101"
echo "CamVid val images, 11 classes, void ignored):"
echo
echo "| model | CamVid val mIoU (ONNX) |"
echo "|---|---|"
for run in midenet-camvid enet-camvid bisenetv1-camvid; do
  [ -f "docs/training/$run-miou.txt" ] && echo "| $run | $(grep -Eo 'MEAN IoU: [0-9.]+%' "docs/training/$run-miou.txt" | awk '{print $3}') |"
done
echo
echo "The void fine-tune starts from \`enet_560_epochs.pth\`, which was trained on Cityscapes-standardised input (mean"
echo "0.287/0.325/0.284, std 0.176/0.181/0.178; see docs/models.md): without that standardisation its mIoU on the 8 sample frames is"
echo "15.2%, with it 44.5% (paper, Cityscapes val: 43.9%). The fine-tune feeds the frozen layers the standardised input and"
echo "exports it into the graph. The paper's own void classifiers reached the [0,1] protocol differently: their fine-tune ran"
echo "BatchNorm in training mode and so re-estimated every running statistic on [0,1] input (177 tensors differ from the"
echo "pretrained file: all BatchNorm statistics and the last layer)."
if [ -f docs/training/enet-seed-560-void-finetuned-eval.txt ]; then
  echo
  echo "### The fine-tuned void ENet on the anomaly sets (\`evaluate --methods VoidClass\`, paper protocol)"
  echo
  echo '```text'
  cat docs/training/enet-seed-560-void-finetuned-eval.txt
  echo '```'
  echo
  echo "For comparison, the paper's ENet (560 epochs) void classifier (Table 3), AuPRC / FPR95: RA-21 13.29 / 90.85,"
  echo "RO-21 1.39 / 76.90, FS Static 11.26 / 67.53, Road Anomaly 10.18 / 89.43. The fine-tune saw only the 8 Cityscapes"
  echo "sample frames (no anomaly data); that it does better on every set is a measurement of this run, not a claim"
  echo "about the method: 8 frames and 30 epochs are far from the paper's Cityscapes fine-tune."
fi
if [ -f docs/training/calibration.log ]; then
  echo
  echo "### Calibration of the fine-tuned void ENet (\`build/calibration-demo.sh\`, run by \`make train-demo\`)"
  echo
  echo '```text'
  cat docs/training/calibration.log
  echo '```'
fi
