#!/usr/bin/env bash
# Configures and builds Refine (Release) into ./build. Extra arguments go to CMake's configure step,
# e.g. tools/build.sh -DCMAKE_PREFIX_PATH=/opt/libtorch-cuda for a CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build --parallel "$(nproc)"
