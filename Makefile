# EdgeSeg — build, test and model targets. `make help` lists them.
SHELL := /bin/bash
CONFIG ?= Release
DOTNET ?= dotnet
EDGESEG_SHARED ?= $(abspath ../shared)
EDGESEG_WEIGHTS ?= $(EDGESEG_SHARED)/weights
export EDGESEG_SHARED EDGESEG_WEIGHTS
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

RUNTIME_DLL := src/Edge.Runtime/bin/$(CONFIG)/net10.0/edgeseg.dll
TOOLS_DLL := src/Host.Tools/bin/$(CONFIG)/net10.0/edgeseg-tools.dll
JETSON_OUT ?= artifacts/jetson/edgeseg
BENCH_MODEL ?= models/enet-seed-560-void.onnx
BENCH_IMAGE ?= $(EDGESEG_SHARED)/data/Validation_Dataset/RoadAnomaly21/images/0.png

.PHONY: help build test models models-int8 run bench bench-int8 eval train-demo clean publish-jetson smoke-arm64 bench-cpu bench-pipeline soak bench-compression alert-quality chaos
TRAIN_MINUTES ?= 60
BISENET_MINUTES ?= 5
TRAIN_EPOCHS ?= 100
TRAIN_BATCH ?= 4
VAL_IMAGES ?= 101
TRAIN_STEPS ?=
FINETUNE_EPOCHS ?= 30
DEMO_RUNS ?= midenet-camvid enet-camvid bisenetv1-camvid enet-seed-560-void-finetuned

help:
	@echo "make build   - build the solution ($(CONFIG)) and write launchers bin/edgeseg, bin/edgeseg-tools"
	@echo "make test    - build models if missing, run every test project"
	@echo "make run     - run the hazard pipeline on the RoadAnomaly21 images (shared data), printing events as JSON lines (ENet with heads: score + road mask in the graph)"
	@echo "make bench-heads    - plain vs heads model, interleaved: bare inference and the runtime's score stage (bench --pipeline) -> reports/bench-heads.md"
	@echo "make models  - export the paper's checkpoints to models/*.onnx + model cards (see models/manifest.json)"
	@echo "make bench   - time every model (ONNX Runtime CPU vs TorchSharp eager) -> docs/benchmarks.md"
	@echo "make eval    - reproduce the reference anomaly numbers (reports/eval/) and regenerate docs/reproduction.md"
	@echo "make bench-cpu      - edgeseg bench breakdown (preprocess/inference/score) of $(BENCH_MODEL) on CPU -> reports/"
	@echo "make bench-pipeline - edgeseg bench --pipeline: $(PIPELINE_MODEL) on RoadAnomaly21 and on a video played like a camera, the 1x1-conv runtime ceiling, memory variants -> reports/"
	@echo "make soak    - SOAK_FRAMES (10000) frames through the whole runtime + mosquitto; RSS/fd series + verdict -> reports/soak.{csv,md}"
	@echo "make chaos   - issue #13 faults end to end (real mosquitto, bin/edgeseg run, mosquitto_sub -q 1): stall, kill, SIGTERM, journal damage, wrong password, spoofing -> docs/reliability.md, reports/chaos.json"
	@echo "make publish-jetson - self-contained linux-arm64 publish of edgeseg -> $(JETSON_OUT) (see docs/deployment.md)"
	@echo "make smoke-arm64    - run the linux-arm64 publish under qemu-aarch64 (--help + a tiny CPU bench)"
	@echo "make models-int8 - the paper's FX int8 ERFNet checkpoints as QDQ ONNX (models/erfnet-void-*int8-fx.onnx)"
	@echo "make bench-int8  - PTQ INT8 ENet/ERFNet, evaluate float vs int8 (VoidClass, MaxLogit) and profile -> reports/ (see docs/compression.md)"
	@echo "make bench-compression - build, evaluate and time every compressed model against its float baseline -> docs/compression-bench.md"
	@echo "make alert-quality - alerts a driver gets (evaluate + evaluate-hazards on the four sets and two clips, leave-one-set-out operating points) -> docs/alert-quality.md"
	@echo "make train-demo - train MiDE-Net/ENet on CamVid (TRAIN_MINUTES each), BiSeNetV1 (BISENET_MINUTES), fine-tune the ENet void channel -> models/, docs/training.md"

build:
	$(DOTNET) build EdgeSeg.sln -c $(CONFIG) -nologo -v minimal
	@mkdir -p bin
	@printf '#!/usr/bin/env bash\nexec dotnet "%s" "$$@"\n' "$(abspath $(RUNTIME_DLL))" > bin/edgeseg
	@printf '#!/usr/bin/env bash\nexec dotnet "%s" "$$@"\n' "$(abspath $(TOOLS_DLL))" > bin/edgeseg-tools
	@chmod +x bin/edgeseg bin/edgeseg-tools
	@echo "launchers: bin/edgeseg bin/edgeseg-tools"

models: build
	bin/edgeseg-tools build-models --manifest models/manifest.json --weights "$(EDGESEG_WEIGHTS)" --out models
	@if [ -d models/operating-points ]; then bin/edgeseg-tools apply-operating-points --from models/operating-points --models models; fi

bench: models
	bin/edgeseg-tools bench-models --manifest models/manifest.json --models models --out docs/benchmarks.md --json reports/bench-models.json
	$(MAKE) --no-print-directory bench-pipeline
	$(MAKE) --no-print-directory bench-compression
	@{ echo; echo "## Whole runtime (\`make bench-pipeline\`: source -> inference -> hazards -> queue -> MQTT)"; echo; \
	  sed -e 's/^# /### /' reports/bench-pipeline.md; \
	  echo; echo "## Latency like a camera: the video played at its own rate (\`--realtime\`), decoded frames as a camera hands them over, real mosquitto"; echo; \
	  sed -e 's/^# /### /' reports/bench-pipeline-realtime.md; \
	  echo; echo "### The same with this host's software H.264 decode in the loop"; echo; \
	  sed -e 's/^# /#### /' reports/bench-pipeline-realtime-decode.md; \
	  echo; echo "## Runtime ceiling: a 1x1-convolution network with heads (\`edgeseg-tools build-ceiling-model --heads\`), preloaded frames, real mosquitto, fsync'd queue"; echo; \
	  sed -e 's/^# /### /' reports/bench-pipeline-ceiling.md; \
	  echo; echo "### The same with this host's software H.264 decode and CPU scoring (plain 1x1 network, the file decoded per frame)"; echo; \
	  sed -e 's/^# /#### /' reports/bench-pipeline-ceiling-decode.md; \
	  if [ -f docs/benchmarks-frame-path.md ]; then echo; cat docs/benchmarks-frame-path.md; fi; \
	  echo; echo "## Memory"; echo; sed -e 's/^# /### /' reports/bench-memory.md; \
	  if [ -f docs/benchmarks-memory-notes.md ]; then echo; cat docs/benchmarks-memory-notes.md; fi; } >> docs/benchmarks.md
EVAL_MODELS ?= enet-seed-340-void enet-seed-560-void midenet-distilled
EVAL_DIR ?= reports/eval
EVAL_DATA ?= $(EDGESEG_SHARED)/data/Validation_Dataset

eval: models
	@mkdir -p $(EVAL_DIR)
	@set -e; for m in $(EVAL_MODELS); do \
	  echo "== evaluate $$m"; mkdir -p $(EVAL_DIR)/$$m; \
	  /usr/bin/time -v -o $(EVAL_DIR)/$$m/time.txt bin/edgeseg-tools evaluate --model models/$$m.onnx --data "$(EVAL_DATA)" \
	    --methods VoidClass,MSP,MaxLogit,MaxEntropy --fpr95 interpolated --overlays 2 --out $(EVAL_DIR)/$$m; \
	done
	bin/edgeseg-tools miou --model models/enet-davidtvs.onnx --data "$(EDGESEG_SHARED)/data/cityscapes-sample" --format cityscapes \
	  --json $(EVAL_DIR)/miou-enet-davidtvs-cityscapes-sample.json
	bin/edgeseg-tools reproduction --reports $(EVAL_DIR) --notes docs/reproduction-notes.md --out docs/reproduction.md

bench-cpu: models
	@mkdir -p reports
	bin/edgeseg bench --model $(BENCH_MODEL) --provider cpu --precision fp32 --image "$(BENCH_IMAGE)" \
	  --iterations 30 --warmup 3 --json reports/bench-cpu.json --markdown reports/bench-cpu.md

PIPELINE_FRAMES ?= 100

PIPELINE_MODEL ?= models/enet-seed-560-void-heads.onnx
bench-pipeline: models
	BENCH_MODEL=$(PIPELINE_MODEL) PIPELINE_FRAMES=$(PIPELINE_FRAMES) bash build/bench-pipeline.sh

SOAK_FRAMES ?= 10000
SOAK_MODEL ?= models/midenet-distilled.onnx
export SOAK_FRAMES SOAK_MODEL

soak: build
	@if [ ! -f models/.complete ]; then $(MAKE) --no-print-directory models; fi
	bash build/soak.sh

chaos: build
	@if [ ! -f models/.complete ]; then $(MAKE) --no-print-directory models; fi
	bash build/chaos.sh

# Self-contained linux-arm64 publish (Jetson). The CPU ONNX Runtime package's arm64 libonnxruntime.so is bundled; on
# -o ends in "/": Directory.Build.targets globs $(PublishDir)**/libLibTorchSharp.so, which needs the separator.
# the device deploy/jetson/install.sh swaps in JetPack's CUDA/TensorRT build (docs/deployment.md).
publish-jetson:
	rm -rf $(JETSON_OUT)
	$(DOTNET) publish src/Edge.Runtime/Edge.Runtime.csproj -c $(CONFIG) -r linux-arm64 --self-contained true \
	  -p:EdgeSegGpu=false -o $(JETSON_OUT)/ -nologo -v minimal
	@test -x $(JETSON_OUT)/edgeseg && echo "published: $(JETSON_OUT)/edgeseg"

smoke-arm64: publish-jetson
	bash deploy/jetson/smoke-arm64.sh $(JETSON_OUT)

FX_INT8 := $(EDGESEG_WEIGHTS)/seed/pruning_quantization/colab

models-int8: build
	bin/edgeseg-tools import-int8 --checkpoint "$(FX_INT8)/erfnet_finetuned_quantized_fx.pth" --out models/erfnet-void-int8-fx.onnx
	bin/edgeseg-tools import-int8 --checkpoint "$(FX_INT8)/erfnet_finetuned_pruned_30%_quantized_fx.pth" --out models/erfnet-void-pruned-int8-fx.onnx
	bin/edgeseg-tools import-int8 --checkpoint "$(EDGESEG_WEIGHTS)/seed/pruning_quantization/midenet/midenet_quantized.pth" --out models/midenet-pruned-int8-fx.onnx

bench-int8: models models-int8
	nice bash build/quant-eval.sh
	for m in enet-seed-560-void enet-seed-560-void-int8 erfnet-void-dequant erfnet-void-int8-ptq erfnet-void-int8-fx erfnet-void-pruned-int8-fx midenet-distilled midenet-pruned-int8-fx; do \
	  bin/edgeseg-tools profile --model models/$$m.onnx --iterations 20 --json reports/profile-$$m.json; done

bench-compression: models
	bash build/bench-compression.sh

alert-quality: models
	bash build/alert-quality.sh

HEADS_MODEL ?= models/enet-seed-560-void
HEADS_ROUNDS ?= 3
HEADS_FRAMES ?= 30

.PHONY: bench-heads
bench-heads: models
	HEADS_MODEL=$(HEADS_MODEL) HEADS_ROUNDS=$(HEADS_ROUNDS) HEADS_FRAMES=$(HEADS_FRAMES) bash build/bench-heads.sh

train-demo: build
	TRAIN_MINUTES=$(TRAIN_MINUTES) BISENET_MINUTES=$(BISENET_MINUTES) TRAIN_EPOCHS=$(TRAIN_EPOCHS) TRAIN_BATCH=$(TRAIN_BATCH) \
	VAL_IMAGES=$(VAL_IMAGES) TRAIN_STEPS=$(TRAIN_STEPS) FINETUNE_EPOCHS=$(FINETUNE_EPOCHS) DEMO_RUNS="$(DEMO_RUNS)" bash build/train-demo.sh

test: build
	@if [ ! -f models/.complete ]; then $(MAKE) --no-print-directory models; fi
	bash build/run-tests.sh $(CONFIG)

RUN_SOURCE ?= $(EDGESEG_SHARED)/data/Validation_Dataset/RoadAnomaly21/images
RUN_MODEL ?= models/enet-seed-560-void-heads.onnx
RUN_ARGS ?=

run: build
	@if [ ! -f models/.complete ]; then $(MAKE) --no-print-directory models; fi
	@if [ -d models/operating-points ]; then bin/edgeseg-tools apply-operating-points --from models/operating-points --models models; fi
	bin/edgeseg run --config deploy/edgeseg.sample-images.json --source "$(RUN_SOURCE)" --model $(RUN_MODEL) --echo-events $(RUN_ARGS)

clean:
	$(DOTNET) clean EdgeSeg.sln -c $(CONFIG) -nologo -v quiet || true
	rm -rf bin models/*.onnx models/*.json.tmp models/.complete artifacts
