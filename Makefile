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

.PHONY: help build test models models-int8 bench bench-int8 clean

help:
	@echo "make build   - build the solution ($(CONFIG)) and write launchers bin/edgeseg, bin/edgeseg-tools"
	@echo "make test    - build models if missing, run every test project"
	@echo "make models  - export the paper's checkpoints to models/*.onnx + model cards (see models/manifest.json)"
	@echo "make bench   - time every model (ONNX Runtime CPU vs TorchSharp eager) -> docs/benchmarks.md"
	@echo "make models-int8 - the paper's FX int8 ERFNet checkpoints as QDQ ONNX (models/erfnet-void-*int8-fx.onnx)"
	@echo "make bench-int8  - PTQ INT8 ENet/ERFNet, evaluate float vs int8 (VoidClass, MaxLogit) and profile -> reports/ (see docs/compression.md)"

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

FX_INT8 := $(EDGESEG_WEIGHTS)/seed/pruning_quantization/colab

models-int8: build
	bin/edgeseg-tools import-int8 --checkpoint "$(FX_INT8)/erfnet_finetuned_quantized_fx.pth" --out models/erfnet-void-int8-fx.onnx
	bin/edgeseg-tools import-int8 --checkpoint "$(FX_INT8)/erfnet_finetuned_pruned_30%_quantized_fx.pth" --out models/erfnet-void-pruned-int8-fx.onnx

bench-int8: models models-int8
	nice bash build/quant-eval.sh
	for m in enet-seed-560-void enet-seed-560-void-int8 erfnet-void-dequant erfnet-void-int8-ptq erfnet-void-int8-fx erfnet-void-pruned-int8-fx; do \
	  bin/edgeseg-tools profile --model models/$$m.onnx --iterations 20 --json reports/profile-$$m.json; done

test: build
	@if [ ! -f models/.complete ]; then $(MAKE) --no-print-directory models; fi
	bash build/run-tests.sh $(CONFIG)

clean:
	$(DOTNET) clean EdgeSeg.sln -c $(CONFIG) -nologo -v quiet || true
	rm -rf bin models/*.onnx models/*.json.tmp models/.complete artifacts
