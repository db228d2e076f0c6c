#!/usr/bin/env bash
# Installs the EdgeSeg runtime on a Jetson (JetPack 6, systemd). Run as root on the device from an unpacked bundle:
#   sudo deploy/jetson/install.sh --publish artifacts/jetson/edgeseg --model models/enet-seed-560-void.onnx \
#     --onnxruntime /path/to/jetpack-onnxruntime/lib --opencvsharp-extern /path/to/libOpenCvSharpExtern.so
#
# What it does (every step is printed; docs/deployment.md explains each):
#   1. service user `edgeseg` (system, no login, groups video + dialout)
#   2. /opt/edgeseg (the published runtime; JetPack's libonnxruntime.so and a GStreamer OpenCvSharpExtern replace the
#      bundled CPU/none ones), /opt/edgeseg/models (models + model cards)
#   3. /etc/edgeseg/edgeseg.json from a template -- never overwritten once present
#   4. /var/lib/edgeseg (alert queue, state) and /var/cache/edgeseg/trt (TensorRT engine + timing cache), owned by edgeseg
#   5. /etc/systemd/system/edgeseg.service (Type=notify, WatchdogSec, Restart=always), daemon-reload, enable
#   6. TensorRT warm-up: `edgeseg bench --provider tensorrt --iterations 1` as edgeseg with the cache folder, so the
#      engine is built once here instead of at the first boot
#   7. (--mosquitto) /etc/mosquitto/conf.d/edgeseg.conf (TLS + passwords)
#
# --dry-run prints every action and changes nothing. --root DIR installs the files under DIR (for tests and image
# building) and only prints what touches the running system (useradd, chown, systemctl, the warm-up).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="/"
dry_run=false
publish=""
config_template="$here/config/edgeseg.csi-tensorrt-fp16.json"
precision="fp16"
models=()
onnxruntime_dir=""
opencvsharp_extern=""
warmup=true
mosquitto=false
service_user="edgeseg"

usage() {
  cat <<USAGE
usage: install.sh [--publish DIR] [--model FILE.onnx]... [--config TEMPLATE.json] [--precision fp16|int8|fp32]
                  [--onnxruntime DIR] [--opencvsharp-extern FILE] [--mosquitto] [--no-warmup]
                  [--root DIR] [--dry-run]
  --publish DIR             output of 'make publish-jetson' (default: artifacts/jetson/edgeseg beside the repo)
  --model FILE.onnx         model to install into /opt/edgeseg/models (its model card FILE.json is copied too)
  --config TEMPLATE         settings template for /etc/edgeseg/edgeseg.json (default: config/edgeseg.csi-tensorrt-fp16.json)
  --precision P             TensorRT precision of the warm-up engine build; must match the settings (default fp16)
  --onnxruntime DIR         folder with JetPack's libonnxruntime.so* and libonnxruntime_providers_*.so (replaces the CPU build)
  --opencvsharp-extern FILE libOpenCvSharpExtern.so built against JetPack's OpenCV (GStreamer)
  --mosquitto               install mosquitto/edgeseg.conf into /etc/mosquitto/conf.d
  --no-warmup               skip the TensorRT engine build
  --root DIR                install under DIR; user, ownership, systemctl and warm-up are printed, not run
  --dry-run                 print every action, change nothing
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --publish) publish="${2:?--publish needs a folder}"; shift 2 ;;
    --model) models+=("${2:?--model needs a file}"); shift 2 ;;
    --config) config_template="${2:?--config needs a file}"; shift 2 ;;
    --precision) precision="${2:?--precision needs fp32, fp16 or int8}"; shift 2 ;;
    --onnxruntime) onnxruntime_dir="${2:?--onnxruntime needs a folder}"; shift 2 ;;
    --opencvsharp-extern) opencvsharp_extern="${2:?--opencvsharp-extern needs a file}"; shift 2 ;;
    --mosquitto) mosquitto=true; shift ;;
    --no-warmup) warmup=false; shift ;;
    --root) root="${2:?--root needs a folder}"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

case "$precision" in
  fp32 | fp16 | int8) ;;
  *) fail "--precision: expected fp32, fp16 or int8, got '$precision'" ;;
esac
[ -n "$publish" ] || publish="$here/../../artifacts/jetson/edgeseg"
[ -x "$publish/edgeseg" ] || fail "--publish: expected a folder with the edgeseg executable (make publish-jetson), got '$publish'"
[ -f "$config_template" ] || fail "--config: template '$config_template' not found"
for model in "${models[@]}"; do
  [ -f "$model" ] || fail "--model: '$model' not found"
  [ -f "${model%.onnx}.json" ] || fail "--model: model card '${model%.onnx}.json' beside '$model' not found (the runtime requires it)"
done
if [ -n "$onnxruntime_dir" ]; then
  compgen -G "$onnxruntime_dir/libonnxruntime.so*" >/dev/null || fail "--onnxruntime: no libonnxruntime.so* in '$onnxruntime_dir'"
fi
if [ -n "$opencvsharp_extern" ]; then
  [ -f "$opencvsharp_extern" ] || fail "--opencvsharp-extern: '$opencvsharp_extern' not found"
fi
system=true
if [ "$root" != "/" ]; then
  system=false
  [ "$dry_run" = true ] || mkdir -p "$root"
  root="$(cd "$root" 2>/dev/null && pwd || echo "$root")"
elif [ "$dry_run" = false ] && [ "$(id -u)" -ne 0 ]; then
  fail "installing into / needs root (or use --root DIR / --dry-run)"
fi

# Target paths (as seen by the running system) and where they are written (under --root).
opt="/opt/edgeseg"
etc="/etc/edgeseg"
state="/var/lib/edgeseg"
cache="/var/cache/edgeseg/trt"
unit="/etc/systemd/system/edgeseg.service"
in_root() { if [ "$root" = "/" ]; then echo "$1"; else echo "$root$1"; fi; }

# File-system actions under the root: printed, then run unless --dry-run.
act() {
  if [ "$dry_run" = true ]; then
    echo "would run: $*"
  else
    echo "+ $*"
    "$@"
  fi
}

# Actions on the running system: run only for a real install into /.
system_act() {
  if [ "$dry_run" = true ]; then
    echo "would run: $*"
  elif [ "$system" = false ]; then
    echo "skipped (--root): $*"
  else
    echo "+ $*"
    "$@"
  fi
}

echo "== EdgeSeg install into ${root} (dry run: ${dry_run})"

# 1. Service user.
if [ "$system" = true ] && id -u "$service_user" >/dev/null 2>&1; then
  echo "user $service_user exists"
else
  system_act useradd --system --user-group --home-dir "$state" --no-create-home --shell /usr/sbin/nologin \
    --groups video,dialout "$service_user"
fi

# 2. Runtime, native libraries, models. The new tree is staged beside the old one and swapped in by rename.
staging="$(in_root "$opt").new"
act mkdir -p "$(dirname "$staging")"
act rm -rf "$staging"
act cp -a "$publish/." "$staging/"
if [ -n "$onnxruntime_dir" ]; then
  # JetPack's ONNX Runtime GPU build replaces the CPU libonnxruntime.so of the NuGet package (same major.minor as
  # Microsoft.ML.OnnxRuntime, see docs/deployment.md); the managed assembly P/Invokes "onnxruntime".
  act rm -f "$staging/libonnxruntime.so" "$staging/libonnxruntime_providers_shared.so"
  for lib in "$onnxruntime_dir"/libonnxruntime.so* "$onnxruntime_dir"/libonnxruntime_providers_*.so; do
    [ -e "$lib" ] && act cp -a "$lib" "$staging/"
  done
fi
if [ -n "$opencvsharp_extern" ]; then
  act install -m 0755 "$opencvsharp_extern" "$staging/libOpenCvSharpExtern.so"
fi
act mkdir -p "$staging/models"
for model in "${models[@]}"; do
  act install -m 0644 "$model" "${model%.onnx}.json" "$staging/models/"
done
if [ "$dry_run" = true ] || [ -d "$(in_root "$opt")/models" ]; then
  # Keep models installed earlier that were not given again.
  act cp -an "$(in_root "$opt")/models/." "$staging/models/"
fi
act rm -rf "$(in_root "$opt").old"
if [ "$dry_run" = true ] || [ -e "$(in_root "$opt")" ]; then
  act mv "$(in_root "$opt")" "$(in_root "$opt").old"
fi
act mv "$staging" "$(in_root "$opt")"
act rm -rf "$(in_root "$opt").old"

# 3. Settings: from the template once; an existing file is the operator's and stays.
act mkdir -p "$(in_root "$etc")"
if [ -e "$(in_root "$etc/edgeseg.json")" ]; then
  echo "keeping existing $etc/edgeseg.json (template not copied)"
else
  act install -m 0640 "$config_template" "$(in_root "$etc/edgeseg.json")"
fi
system_act chown "root:$service_user" "$etc/edgeseg.json"

# 4. State (alert queue) and TensorRT caches.
act mkdir -p "$(in_root "$state")" "$(in_root "$cache")"
act chmod 0750 "$(in_root "$state")" "$(in_root "$cache")"
system_act chown -R "$service_user:$service_user" "$state" /var/cache/edgeseg

# 5. systemd unit.
act mkdir -p "$(dirname "$(in_root "$unit")")"
act install -m 0644 "$here/edgeseg.service" "$(in_root "$unit")"
system_act systemctl daemon-reload
system_act systemctl enable edgeseg.service

# 6. TensorRT engine warm-up: one inference builds and caches the engine for this GPU, TensorRT version and precision.
if [ "$warmup" = true ]; then
  warm_model="${models[0]:-}"
  if [ -n "$warm_model" ]; then
    warm_model="$opt/models/$(basename "$warm_model")"
  else
    warm_model="$opt/models/enet-seed-560-void.onnx"
  fi
  system_act runuser -u "$service_user" -- env "LD_LIBRARY_PATH=$opt:/usr/lib/aarch64-linux-gnu/tegra:/usr/local/cuda/lib64" \
    "$opt/edgeseg" bench --model "$warm_model" --provider tensorrt --precision "$precision" --iterations 1 --warmup 0 \
    --trt-engine-cache "$cache" --trt-timing-cache "$cache" --json "$state/warmup-bench.json"
fi

# 7. Broker configuration.
if [ "$mosquitto" = true ]; then
  act mkdir -p "$(in_root /etc/mosquitto/conf.d)"
  act install -m 0644 "$here/mosquitto/edgeseg.conf" "$(in_root /etc/mosquitto/conf.d/edgeseg.conf)"
  echo "mosquitto: create /etc/mosquitto/edgeseg.passwd and /etc/mosquitto/certs/* (docs/deployment.md), then restart it"
  system_act systemctl restart mosquitto
fi

echo "== done. Start: systemctl start edgeseg; logs: journalctl -u edgeseg -f"
