#!/usr/bin/env bash
# Runs the GPU tests (test/gpu) against the CUDA backend emulated on the host
# (build-emulation/: native/cuda compiled with the host compiler, every kernel
# run on the CPU; see native/cuda_emulation/emulation.h). They prove the GPU
# code's logic — indexing, reductions, launch sizes, the host ↔ device
# protocol, the GPU supernet against the CPU supernet — on machines without
# a GPU. The built-in conv and linear kernels stand in for cuDNN and cuBLAS
# (library.test.ts and the library half of bf16-layers.test.ts skip, saying
# so), unless PRUNAS_EMULATED_LIBRARIES=ON, which emulates those two
# libraries too (native/cuda_emulation/libraries.cc) and runs the same tests
# through cudnn_conv.cc and cublas_gemm.cc. Not covered: races, timing, the
# real libraries' numerics. latency.test.ts is left out: it checks GPU
# timings and the versions of a real CUDA stack.
#
#   npm run test:gpu:emulated                 # build if needed, then test
#   PRUNAS_EMULATED_LIBRARIES=ON npm run test:gpu:emulated   # cuDNN/cuBLAS emulated (build-emulation-libraries/)
#   PRUNAS_SANITIZE=ON npm run test:gpu:emulated   # under ASan+UBSan (build-emulation-asan/; both variables may be set)
set -euo pipefail
cd "$(dirname "$0")/.."
variant=()
suffix=
if [ "${PRUNAS_EMULATED_LIBRARIES:-OFF}" = ON ]; then
  variant=(--CDPRUNAS_EMULATED_LIBRARIES=ON)
  suffix=-libraries
fi
if [ "${PRUNAS_SANITIZE:-OFF}" = ON ]; then
  out=build-emulation-asan$suffix
  npx cmake-js configure --out "$out" --CDPRUNAS_CUDA_EMULATION=ON ${variant[@]+"${variant[@]}"} --CDPRUNAS_SANITIZE=ON --CDCMAKE_BUILD_TYPE=Debug
  npx cmake-js build --out "$out"
  export LD_PRELOAD=$(gcc -print-file-name=libasan.so)
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export PRUNAS_SANITIZED_RUN=1
else
  out=build-emulation$suffix
  npx cmake-js compile --out "$out" --CDPRUNAS_CUDA_EMULATION=ON ${variant[@]+"${variant[@]}"}
fi
export PRUNAS_NATIVE=$PWD/$out/Release/prunas.node  # cmake-js's folder whatever the build type
echo "[gpu tests, emulated] test/gpu/latency.test.ts left out: it times a real GPU"
npx vitest run test/gpu --exclude test/gpu/latency.test.ts "$@"
