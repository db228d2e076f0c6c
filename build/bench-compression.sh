#!/usr/bin/env bash
# make bench-compression: builds every compressed model of build/compression-bench.json that is missing, evaluates each
# (VoidClass, MaxLogit on the four anomaly sets) unless its report is newer than the model, then measures them all in
# interleaved latency rounds and writes docs/compression-bench.md (+ reports/compression.json, docs/images/compression-latency.png).
set -euo pipefail
T=bin/edgeseg-tools
SHARED=${EDGESEG_SHARED:-../shared}
DATA=$SHARED/data/Validation_Dataset
ROUNDS=${COMPRESSION_ROUNDS:-5}
ITERATIONS=${COMPRESSION_ITERATIONS:-10}
mkdir -p reports/compression docs/images

# the compressed models (and their cards), built when missing or older than their source
bash build/compressed-models.sh

# compression-report --data evaluates every model whose report is missing or older than the model.
$T compression-report --plan build/compression-bench.json --data "$DATA" --rounds "$ROUNDS" --iterations "$ITERATIONS" \
  --out docs/compression-bench.md --json reports/compression.json --chart docs/images/compression-latency.png
