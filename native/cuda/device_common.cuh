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

// ---- fixed-order combination of partials (no atomics; the order depends on
// the shape only, so a run repeats the bits of the last) ----

// Column totals of partial[chunks][width] in blocks of column_block() = (32
// columns, 32 lanes), grid column_blocks(width): lane y adds chunks y, y + 32,
// … in order, then lane 0 adds the 32 lane sums in order. The total of column
// `col` (blockIdx.x·32 + threadIdx.x) is valid in threadIdx.y == 0; every
// thread of the block must call it (it synchronizes).
constexpr int kColumnLanes = 32;
inline dim3 column_block() { return dim3(32, kColumnLanes); }
inline unsigned column_blocks(int64_t width) { return static_cast<unsigned>((width + 31) / 32); }

__device__ __forceinline__ double column_total(const double* partial, int64_t chunks, int64_t width, int64_t col) {
  __shared__ double lanes[kColumnLanes][33];
  double s = 0.0;
  if (col < width)
    for (int64_t k = threadIdx.y; k < chunks; k += kColumnLanes) s += partial[k * width + col];
  lanes[threadIdx.y][threadIdx.x] = s;
  __syncthreads();
  double total = 0.0;
  if (threadIdx.y == 0)
    for (int j = 0; j < kColumnLanes; ++j) total += lanes[j][threadIdx.x];
  __syncthreads();  // a second call may overwrite the lanes
  return total;
}

// Blocks of a flat reduction over n items (grid-stride, kThreads threads):
// about 16 items per thread, at most 1024 blocks; a function of n only.
inline unsigned flat_blocks(int64_t n) {
  const int64_t per_block = int64_t{kThreads} * 16;
  return static_cast<unsigned>(std::max<int64_t>(1, std::min<int64_t>((n + per_block - 1) / per_block, 1024)));
}

// Σ of one value per thread of a 1-D block of kThreads threads: a tree over
// shared memory (tree[t] += tree[t + s] for s = 128, 64, …, 1). The total in
// every thread; every thread of the block must call it.
__device__ __forceinline__ double block_sum(double v) {
  __shared__ double tree[kThreads];
  tree[threadIdx.x] = v;
  __syncthreads();
  for (unsigned s = kThreads / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) tree[threadIdx.x] += tree[threadIdx.x + s];
    __syncthreads();
  }
  const double total = tree[0];
  __syncthreads();  // a second call may overwrite the tree
  return total;
}

}  // namespace prunas::cuda
