#!/usr/bin/env bash
# Runs the test suite against the AddressSanitizer + UndefinedBehaviorSanitizer
# build of the addon (build-asan/, CPU only). Node itself is not sanitized, so
# libasan is preloaded, and leak detection is off because node and npm keep
# allocations alive at exit; heap overflows, use-after-free and UB still abort
# the test process, which fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build:native:asan
export PRUNAS_NATIVE=$PWD/build-asan/Release/prunas.node
export LD_PRELOAD=$(gcc -print-file-name=libasan.so)
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export PRUNAS_SANITIZED_RUN=1
npx vitest run "$@"
