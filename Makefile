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

.PHONY: help build test models bench train-demo clean
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
	@echo "make models  - export the paper's checkpoints to models/*.onnx + model cards (see models/manifest.json)"
	@echo "make bench   - time every model (ONNX Runtime CPU vs TorchSharp eager) -> docs/benchmarks.md"
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

bench: models
	bin/edgeseg-tools bench-models --manifest models/manifest.json --models models --out docs/benchmarks.md --json reports/bench-models.json

train-demo: build
	TRAIN_MINUTES=$(TRAIN_MINUTES) BISENET_MINUTES=$(BISENET_MINUTES) TRAIN_EPOCHS=$(TRAIN_EPOCHS) TRAIN_BATCH=$(TRAIN_BATCH) \
	VAL_IMAGES=$(VAL_IMAGES) TRAIN_STEPS=$(TRAIN_STEPS) FINETUNE_EPOCHS=$(FINETUNE_EPOCHS) DEMO_RUNS="$(DEMO_RUNS)" bash build/train-demo.sh

test: build
	@if [ ! -f models/.complete ]; then $(MAKE) --no-print-directory models; fi
	bash build/run-tests.sh $(CONFIG)

clean:
	$(DOTNET) clean EdgeSeg.sln -c $(CONFIG) -nologo -v quiet || true
	rm -rf bin models/*.onnx models/*.json.tmp models/.complete artifacts
