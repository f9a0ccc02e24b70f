#!/usr/bin/env bash
# The GPU checks in one script, run from the project root of a machine with
# a GPU. On a GPU machine without Node.js, a .device/ bundle (node, npm and
# node_modules, made where Node.js is installed) runs it:
#
#   bash .device/run bash scripts/gpu-visit.sh
#
# .device/run has already built the addon with CUDA (npm run build:native,
# its log in $OUT/build.log). Then, each step time-boxed and continuing past
# failures: the GPU tests (vitest JSON report), the PyTorch reference step
# benchmark, compute-sanitizer memcheck over the GPU kernel tests. Every file
# lands in $OUT (at most 8 come back: device-env.txt and build.log from
# .device/run, and the six below). Step limits in seconds can be overridden:
# VISIT_TEST_S, VISIT_TORCH_S, VISIT_MEMCHECK_S.
set -uo pipefail
out=${OUT:-/tmp/gpu-visit}
mkdir -p "$out"
summary=$out/summary.txt
t0=$(date +%s)
note() { echo "[$(( $(date +%s) - t0 )) s] $*" | tee -a "$summary"; }

# step NAME LIMIT COMMAND...: runs with a timeout, records the exit status
step() {
  local name=$1 limit=$2; shift 2
  note "start $name (limit ${limit} s)"
  timeout --kill-after=10 "$limit" "$@"
  local rc=$?
  note "end $name: exit $rc$([ $rc -eq 124 ] && echo ' (timed out)')"
}

{
  echo "== nvidia-smi"
  timeout 20 nvidia-smi 2>&1 | head -30
  echo "== build: libraries"
  grep -h "prunas:" "$out/build.log" 2>/dev/null || echo "(no build log)"
  echo "== gpuInfo"
  timeout 30 node --import tsx -e "import('./src/gpu/kernels.ts').then(g => console.log(JSON.stringify(g.gpuInfo())))" 2>&1
} >>"$summary"

step gpu-tests "${VISIT_TEST_S:-150}" bash -c \
  "npx vitest run test/gpu --reporter=default --reporter=json --outputFile.json='$out/gpu-tests.json' >'$out/gpu-tests.log' 2>&1"
tail -15 "$out/gpu-tests.log" | tee -a "$summary"

step torch-step "${VISIT_TORCH_S:-150}" bash -c \
  "TORCH_STEP_SECONDS=$(( ${VISIT_TORCH_S:-150} - 30 )) PYTHONUNBUFFERED=1 python3 benchmarks/gpu/torch_step.py >'$out/torch-step.json' 2>'$out/torch-step.log'"
tail -6 "$out/torch-step.log" | tee -a "$summary"

sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer /usr/local/cuda/compute-sanitizer/compute-sanitizer 2>/dev/null | head -1)
if [ -n "$sanitizer" ]; then
  # Only the kernel tests (the library tests' cuDNN autotuning is slow under
  # memcheck); vitest's forked workers are followed with --target-processes all.
  step memcheck "${VISIT_MEMCHECK_S:-150}" bash -c \
    "'$sanitizer' --tool memcheck --target-processes all --leak-check no --print-limit 50 \
       npx vitest run test/gpu/kernels.test.ts >'$out/memcheck.log' 2>&1"
  grep -E "ERROR SUMMARY|Invalid|Test Files|Tests " "$out/memcheck.log" | tail -8 | tee -a "$summary"
else
  note "memcheck skipped: compute-sanitizer not found"
fi
note "visit done"
