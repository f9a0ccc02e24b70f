// Shared device-side helpers of the .cu files: launch sizes, grid-stride
// loops, storage-type loads and stores (math is always float), and the
// deterministic chunking of reductions.
#pragma once
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>

namespace prunas::cuda {

constexpr int kThreads = 256;

// Blocks for a grid-stride loop over n items: enough to fill a large GPU,
// never more than needed.
inline unsigned grid_for(int64_t n, int threads = kThreads) {
  const int64_t blocks = (n + threads - 1) / threads;
  return static_cast<unsigned>(std::max<int64_t>(1, std::min<int64_t>(blocks, 65535 * 8)));
}

#define PRUNAS_GRID_STRIDE(i, n)                                                               \
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < (n); \
       i += static_cast<int64_t>(gridDim.x) * blockDim.x)

__device__ __forceinline__ float to_float(float v) { return v; }
__device__ __forceinline__ float to_float(__nv_bfloat16 v) { return __bfloat162float(v); }
template <typename T>
__device__ __forceinline__ T from_float(float v);
template <>
__device__ __forceinline__ float from_float<float>(float v) { return v; }
template <>
__device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float v) { return __float2bfloat16(v); }

// Reductions over `rows` rows split into chunks of consecutive rows; the
// number of chunks depends on the shape only (about 256 rows each, at most
// max_cells / width chunks so the partials stay small).
inline int64_t reduction_chunks(int64_t rows, int64_t width, int64_t max_cells = int64_t{1} << 22) {
  const int64_t by_rows = (rows + 255) / 256;
  return std::max<int64_t>(1, std::min(by_rows, std::max<int64_t>(1, max_cells / std::max<int64_t>(1, width))));
}

}  // namespace prunas::cuda
