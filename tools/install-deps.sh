#!/usr/bin/env bash
# Installs everything Refine needs to build and test on Debian 12 (bookworm), from Debian's own
# packages only. Safe to run again; uses sudo when not root.
# clang-14, libclang-rt-14-dev: the ASan + UBSan build the test command ends with (tools/sanitize.sh)
# and the libFuzzer targets (docs/testing.md).
# opencv-data: the Haar cascade of the app's face detection (core/imaging/src/face_detection.cpp).
# libopenblas0-openmp: without it, libtorch's matrix products (attention, 1x1 convolutions, the
# consistency projection) run on Debian's reference BLAS, which made a CPU forward pass 2.7x slower.
# --cluster also installs Slurm and MUNGE for the opt-in single-node cluster test of archive mode
# (ctest -L cluster); the test starts its own daemons with a generated config, so whatever the
# packages set up for the system is left alone.
set -euo pipefail
cluster=0
for argument in "$@"; do
  case "$argument" in
    --cluster) cluster=1 ;;
    *) echo "usage: $0 [--cluster]" >&2; exit 2 ;;
  esac
done
packages=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev libtorch-dev libopencv-dev libexiv2-dev
  libopenblas0-openmp
  nlohmann-json3-dev libcli11-dev liblcms2-dev libssl-dev
  libjpeg-dev libtiff-dev libwebp-dev
  opencv-data
  xvfb xauth desktop-file-utils
  clang-14 libclang-rt-14-dev
)
if [ "$cluster" -eq 1 ]; then
  packages+=(slurm-wlm slurm-client munge)
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
