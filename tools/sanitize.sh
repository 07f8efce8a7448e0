#!/usr/bin/env bash
# ASan + UBSan: builds Refine with -fsanitize=address,undefined in its own build folder and runs the
# unit tests of the engine and the imaging library under the sanitizers; any report fails its test.
# docs/testing.md says when to run it (before each release) and what it costs.
#
# usage: tools/sanitize.sh [BUILD_DIR]     (default: build-asan)
#   CXX                          the compiler; default Clang when installed: it compiles the
#                                instrumented LibTorch-heavy sources about three times faster than GCC
#   REFINE_SANITIZE_JOBS         parallel build jobs and tests (default: all cores)
#   REFINE_SANITIZE_CMAKE_ARGS   extra CMake options
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
jobs=${REFINE_SANITIZE_JOBS:-$(nproc)}
compiler=${CXX:-$(command -v clang++-14 || command -v clang++ || command -v c++)}
test_dirs=(tests/engine tests/imaging)

# shellcheck disable=SC2086  # the extra arguments are meant to split
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$compiler" \
  -DREFINE_SANITIZERS=address,undefined ${REFINE_SANITIZE_CMAKE_ARGS:-}

# The unit tests of those folders; each test is the executable target of the same name, so only
# they (and the libraries they need) are built.
tests=()
for dir in "${test_dirs[@]}"; do
  while read -r name; do tests+=("$name"); done < <(ctest --test-dir "$build/$dir" -N -L '^unit$' | sed -n 's/^ *Test *#[0-9]*: //p')
done
echo "Building ${#tests[@]} tests with ASan + UBSan: ${tests[*]}"
cmake --build "$build" --parallel "$jobs" --target "${tests[@]}"

# Leaks are reported too (LeakSanitizer, part of ASan); a finding stops the test with a stack trace.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
for dir in "${test_dirs[@]}"; do
  # The sanitizers slow the tests down two to four times: a longer timeout than the suite's 300 s.
  ctest --test-dir "$build/$dir" -L '^unit$' --output-on-failure --parallel "$jobs" --timeout 1200 || status=1
done
exit $status
