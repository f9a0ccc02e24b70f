#!/usr/bin/env bash
# The GPU checks in one script, run from the project root of a machine with
# a GPU. On a GPU machine without Node.js, a .device/ bundle (node, npm and
# node_modules, made where Node.js is installed) runs it:
#
#   DEVICE_SKIP_BUILD=1 bash .device/run bash scripts/gpu-visit.sh
#
# The script builds the addon itself (its log in $OUT/build.log): with cuDNN
# and cuBLAS where .device/run found them; if that build fails, again on the
# built-in conv and linear kernels (PRUNAS_CUDA_LIBRARIES=OFF), so the rest
# of the visit still runs. Then, each step time-boxed and continuing past
# failures: the GPU tests (test/gpu: kernels, libraries, the GPU supernet
# against the CPU supernet; vitest JSON report), the step benchmark
# (benchmarks/gpu/step.ts: PyTorch's reference step and ours, same GPU), and
# compute-sanitizer memcheck over the GPU kernel tests. Every file lands in
# $OUT; at most 8 come back: device-env.txt and build.log from .device/run,
# and summary.txt, gpu-tests.json, gpu-tests.log, bench-gpu/results.json,
# bench-gpu/results.md, memcheck.log (the benchmark's own log goes into
# summary.txt).
#
# Budget: the whole script within VISIT_TOTAL_S (default 560 s, under the
# device's 600 s per call): the build (at most 240 s; about 90 s expected on
# 16 cores), about 30 s of preamble, then the steps' limits in seconds, each
# cut to what is left of the total: GPU tests VISIT_TEST_S (120), latency
# tests alone VISIT_LATENCY_S (110), benchmark
# VISIT_BENCH_S (150; PyTorch gets up to 85 of it, each of our
# configurations runs in its own time-boxed process), the op-by-op step
# profile VISIT_PROFILE_S (40; into summary.txt), memcheck
# VISIT_MEMCHECK_S (60; last, so the first to be cut).
#
# A dry run of the script (no build; small batches) on an addon already
# built, such as the emulated backend with cuDNN and cuBLAS emulated too, the
# paths a GPU build with the libraries takes (PRUNAS_EMULATED_LIBRARIES=ON
# npm run test:gpu:emulated builds it; the latency tests and the profile
# outrun their limits there, emulation being slow):
#   VISIT_NATIVE=$PWD/build-emulation-libraries/Release/prunas.node VISIT_BATCHES=2 \
#     VISIT_PROFILE_BATCH=2 VISIT_LATENCY_S=10 OUT=/tmp/visit bash scripts/gpu-visit.sh
set -uo pipefail
out=${OUT:-/tmp/gpu-visit}
mkdir -p "$out"
summary=$out/summary.txt
t0=$(date +%s)
total=${VISIT_TOTAL_S:-560}
note() { echo "[$(( $(date +%s) - t0 )) s] $*" | tee -a "$summary"; }

# step NAME LIMIT COMMAND...: runs with a timeout (cut to the time left of
# the total, less the 10 s a kill may take), records the exit status
step() {
  local name=$1 limit=$2; shift 2
  local left=$(( total - ($(date +%s) - t0) - 12 ))
  [ "$limit" -gt "$left" ] && limit=$left
  if [ "$limit" -lt 10 ]; then
    note "skip $name: the visit's ${total} s are spent"
    return
  fi
  note "start $name (limit ${limit} s)"
  timeout --kill-after=10 "$limit" "$@"
  local rc=$?
  note "end $name: exit $rc$([ $rc -eq 124 ] && echo ' (timed out)')"
}

build_log=$out/build.log
if [ -n "${VISIT_NATIVE:-}" ]; then
  export PRUNAS_NATIVE=$VISIT_NATIVE
  note "no build: the addon at VISIT_NATIVE=$VISIT_NATIVE"
  echo "prunas: no build, VISIT_NATIVE=$VISIT_NATIVE" >"$build_log"
else
  note "start build (cuDNN/cuBLAS: ${CUDNN_ROOT:-not found} ${CUBLAS_ROOT:-not found})"
  if timeout 240 npm run build:native >"$build_log" 2>&1; then
    note "end build: with the libraries CMake found"
  else
    note "build with the libraries failed (exit $?); building on the built-in kernels"
    mv "$build_log" /tmp/prunas-build-libraries.log  # not under $OUT: at most 8 files come back
    { timeout 200 npx cmake-js configure --out build --CDPRUNAS_CUDA_LIBRARIES=OFF && timeout 200 npx cmake-js build --out build; } >"$build_log" 2>&1
    note "end fallback build: exit $?"
    # keep the failed build's errors in the returned log
    { echo "== the failed build with the libraries (errors):"; grep -E "error|Error" /tmp/prunas-build-libraries.log | head -60; } >>"$build_log"
  fi
fi

{
  echo "== nvidia-smi"
  timeout 20 nvidia-smi 2>&1 | head -30
  echo "== build: libraries"
  grep -h "prunas:" "$out/build.log" 2>/dev/null || echo "(no build log)"
  echo "== gpuInfo"
  timeout 20 node --import tsx -e "import('./src/gpu/kernels.ts').then(g => console.log(JSON.stringify(g.gpuInfo())))" 2>&1
} >>"$summary"

# The latency tests time the GPU: they run alone, after the other GPU test
# files (which share the GPU between vitest's workers); their output is
# appended to gpu-tests.log.
step gpu-tests "${VISIT_TEST_S:-120}" bash -c \
  "npx vitest run test/gpu --exclude test/gpu/latency.test.ts --reporter=default --reporter=json --outputFile.json='$out/gpu-tests.json' >'$out/gpu-tests.log' 2>&1"
tail -15 "$out/gpu-tests.log" | tee -a "$summary"
step gpu-latency "${VISIT_LATENCY_S:-110}" bash -c \
  "npx vitest run test/gpu/latency.test.ts >>'$out/gpu-tests.log' 2>&1"
grep -E "gpu latency|Tests |✓|×" "$out/gpu-tests.log" | tail -8 | tee -a "$summary"

# The benchmark keeps to its own --budget, 15 s inside the step's limit, so
# that it writes its results before the limit.
bench_s=${VISIT_BENCH_S:-150}
bench_left=$(( total - ($(date +%s) - t0) - 12 ))
[ "$bench_s" -gt "$bench_left" ] && bench_s=$bench_left
step bench-gpu "$bench_s" bash -c \
  "node --import tsx benchmarks/gpu/step.ts --out '$out/bench-gpu' --batches ${VISIT_BATCHES:-128,256} --budget $(( bench_s > 25 ? bench_s - 15 : 10 )) --torch python3 >>'$summary' 2>&1"

# Where the step's time goes on the GPU, op by op (appended to summary.txt:
# at most 8 files come back).
step profile "${VISIT_PROFILE_S:-40}" bash -c \
  "node --import tsx benchmarks/step-profile.ts --space proxyless-mobile --batch ${VISIT_PROFILE_BATCH:-128} --steps 3 --warmup 1 --device cuda:0 >>'$summary' 2>&1"

sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer /usr/local/cuda/compute-sanitizer/compute-sanitizer 2>/dev/null | head -1)
if [ -n "$sanitizer" ]; then
  # Only the kernel tests (the library tests' cuDNN autotuning is slow under
  # memcheck); vitest's forked workers are followed with --target-processes all.
  step memcheck "${VISIT_MEMCHECK_S:-60}" bash -c \
    "'$sanitizer' --tool memcheck --target-processes all --leak-check no --print-limit 50 \
       npx vitest run test/gpu/kernels.test.ts >'$out/memcheck.log' 2>&1"
  grep -E "ERROR SUMMARY|Invalid|Test Files|Tests " "$out/memcheck.log" | tail -8 | tee -a "$summary"
else
  note "memcheck skipped: compute-sanitizer not found"
fi
note "visit done"
