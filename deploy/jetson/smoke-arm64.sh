#!/usr/bin/env bash
# Runs the linux-arm64 publish under qemu user-mode emulation (Debian qemu-user-static + arm64 libc/libstdc++):
# `edgeseg --help`, then a short CPU `edgeseg bench` of a tiny generated 1x1-conv model (64x128, 20 classes; emulation
# is ~20-50x slower than native, ENet 512x1024 takes minutes per frame). Usage: smoke-arm64.sh PUBLISH_DIR [MODEL]
#
# ONNX Runtime's cpuinfo parses /proc/cpuinfo at start-up; qemu-user passes the host's x86 file through, cpuinfo finds
# no ARM processor and dereferences NULL (SIGSEGV). qemu's -L prefix is consulted first for every path a guest opens,
# so the prefix below supplies an aarch64 /proc/cpuinfo (one Cortex-A78AE entry per present CPU, like a Jetson Orin)
# and links everything else to the host's multiarch root.
set -euo pipefail

publish="${1:?usage: smoke-arm64.sh PUBLISH_DIR [MODEL]}"
model="${2:-}"
qemu="$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)"
if [ -z "$qemu" ]; then
  echo "smoke-arm64: qemu-aarch64-static not found (apt-get install qemu-user-static)" >&2
  exit 1
fi
if [ ! -e /lib/ld-linux-aarch64.so.1 ]; then
  echo "smoke-arm64: no arm64 loader; run: dpkg --add-architecture arm64 && apt-get update &&" \
    "apt-get install libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 zlib1g:arm64 libssl3:arm64" >&2
  exit 1
fi
if [ ! -x "$publish/edgeseg" ]; then
  echo "smoke-arm64: $publish/edgeseg missing (make publish-jetson)" >&2
  exit 1
fi

prefix="$(mktemp -d)"
out="$(mktemp -d)"
trap 'rm -rf "$prefix" "$out"' EXIT
if [ -z "$model" ]; then
  model="$out/tiny.onnx"
  python3 "$(dirname "$0")/tiny-model.py" "$model"
fi
if [ ! -f "$model" ]; then
  echo "smoke-arm64: model $model missing" >&2
  exit 1
fi
ln -s /lib "$prefix/lib"
ln -s /usr "$prefix/usr"
mkdir "$prefix/proc"
cpus="$(nproc)"
for ((i = 0; i < cpus; i++)); do
  printf 'processor\t: %d\nBogoMIPS\t: 62.50\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd42\nCPU revision\t: 1\n\n' "$i"
done > "$prefix/proc/cpuinfo"

run() {
  echo "+ qemu-aarch64 $*" >&2
  DOTNET_gcServer=0 "$qemu" -L "$prefix" "$@"
}

file "$publish/edgeseg" 2>/dev/null | grep -q 'ARM aarch64' || { echo "smoke-arm64: $publish/edgeseg is not an aarch64 executable" >&2; exit 1; }
help="$(run "$publish/edgeseg" --help)"
grep -q 'bench' <<<"$help" || { echo "smoke-arm64: --help does not list the bench verb" >&2; echo "$help" >&2; exit 1; }
echo "smoke-arm64: --help ok"

run "$publish/edgeseg" bench --model "$model" --provider cpu --iterations 2 --warmup 1 --json "$out/bench.json" --markdown "$out/bench.md"
grep -q '"architecture": "Arm64"' "$out/bench.json" || { echo "smoke-arm64: bench.json does not report Arm64" >&2; cat "$out/bench.json" >&2; exit 1; }
grep -q '"p50_ms"' "$out/bench.json"
cat "$out/bench.md"
echo "smoke-arm64: CPU bench ok"
