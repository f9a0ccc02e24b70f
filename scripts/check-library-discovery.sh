#!/usr/bin/env bash
# Proves CMake finds cuDNN and cuBLAS in folders laid out as PyTorch's pip
# wheels ship them (CUDNN_ROOT / CUBLAS_ROOT holding include/ and lib/ with
# only versioned libraries, libcudnn.so.9) and links them by their full
# paths: a plain -lcudnn would find no libcudnn.so there. Configures only, in
# a scratch folder, against stand-in headers and libraries; needs nvcc. The
# stand-ins carry a SONAME as the real libraries do: CMake links a library
# without one as -L<dir> -l<name>, whatever path it was given.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
nvcc=$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null || true)
if [ -z "$nvcc" ]; then
  echo "library discovery check skipped: no nvcc on this machine"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wheel=$work/site-packages/nvidia
echo 'void prunas_stand_in(void) {}' >"$work/stand_in.c"
for lib in cudnn/libcudnn.so.9 cublas/libcublas.so.13; do
  dir=$wheel/$(dirname "$lib")
  mkdir -p "$dir/include" "$dir/lib"
  gcc -shared -fPIC -Wl,-soname,"$(basename "$lib")" -o "$dir/lib/$(basename "$lib")" "$work/stand_in.c"
done
touch "$wheel/cudnn/include/cudnn.h" "$wheel/cublas/include/cublas_v2.h"

build=$work/build
CUDNN_ROOT=$wheel/cudnn CUBLAS_ROOT=$wheel/cublas \
  "$root/node_modules/.bin/cmake-js" configure --directory "$root" --out "$build" >"$work/configure.log" 2>&1 \
  || { tail -30 "$work/configure.log"; exit 1; }
line=$(grep "prunas: CUDA" "$work/configure.log" || true)
expected="cuDNN+cuBLAS: ON (cudnn: $wheel/cudnn/include $wheel/cudnn/lib/libcudnn.so.9; cublas: $wheel/cublas/include $wheel/cublas/lib/libcublas.so.13;"
if [[ "$line" != *"$expected"* ]]; then
  echo "library discovery: CMake did not take the wheel-shaped folders:"
  echo "  got:      $line"
  echo "  expected: ...$expected..."
  exit 1
fi
# the link command: Ninja's LINK_LIBRARIES, or Make's link.txt
link=$(grep -h "LINK_LIBRARIES = " "$build/build.ninja" 2>/dev/null || cat "$build/CMakeFiles/prunas.dir/link.txt" 2>/dev/null || true)
for lib in "$wheel/cudnn/lib/libcudnn.so.9" "$wheel/cublas/lib/libcublas.so.13"; do
  if ! grep -qF -- "$lib" <<<"$link"; then
    echo "library discovery: the addon's link line does not name $lib by its full path:"
    grep -oE -- "-l(cudnn|cublas)[^ ]*|-L[^ ]*nvidia[^ ]*" <<<"$link" | sort -u | sed 's/^/  /'
    exit 1
  fi
done
echo "library discovery ok: wheel-shaped cuDNN and cuBLAS found and linked by full path"
