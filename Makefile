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

.PHONY: help build test models bench clean publish-jetson smoke-arm64 bench-cpu

help:
	@echo "make build   - build the solution ($(CONFIG)) and write launchers bin/edgeseg, bin/edgeseg-tools"
	@echo "make test    - build models if missing, run every test project"
	@echo "make models  - export the paper's checkpoints to models/*.onnx + model cards (see models/manifest.json)"
	@echo "make bench   - time every model (ONNX Runtime CPU vs TorchSharp eager) -> docs/benchmarks.md"
	@echo "make bench-cpu      - edgeseg bench breakdown (preprocess/inference/score) of $(BENCH_MODEL) on CPU -> reports/"
	@echo "make publish-jetson - self-contained linux-arm64 publish of edgeseg -> $(JETSON_OUT) (see docs/deployment.md)"
	@echo "make smoke-arm64    - run the linux-arm64 publish under qemu-aarch64 (--help + a tiny CPU bench)"

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

bench-cpu: models
	@mkdir -p reports
	bin/edgeseg bench --model $(BENCH_MODEL) --provider cpu --precision fp32 --image "$(BENCH_IMAGE)" \
	  --iterations 30 --warmup 3 --json reports/bench-cpu.json --markdown reports/bench-cpu.md

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

test: build
	@if [ ! -f models/.complete ]; then $(MAKE) --no-print-directory models; fi
	bash build/run-tests.sh $(CONFIG)

clean:
	$(DOTNET) clean EdgeSeg.sln -c $(CONFIG) -nologo -v quiet || true
	rm -rf bin models/*.onnx models/*.json.tmp models/.complete artifacts
