// Global average pooling [n, hw, c] → [n, c], forward and backward, as
// native/cpu/pool.cc: each channel summed in double. Float or bf16 storage.
#include <limits>

#include "core/error.h"
#include "cuda/bf16_kernels.h"
#include "cuda/check.h"
#include "cuda/device_common.cuh"
#include "cuda/kernels.h"

namespace prunas::cuda {

namespace {

template <typename T>
__global__ void pool_forward_kernel(T* y, const T* x, int64_t n, int64_t hw, int64_t c) {
  const double inv = 1.0 / static_cast<double>(hw);
  PRUNAS_GRID_STRIDE(idx, n * c) {
    const int64_t ch = idx % c, img = idx / c;
    const T* in = x + img * hw * c + ch;
    double acc = 0.0;
    for (int64_t p = 0; p < hw; ++p) acc += to_float(in[p * c]);
    y[idx] = from_float<T>(static_cast<float>(acc * inv));
  }
}

template <typename T>
__global__ void pool_backward_kernel(T* dx, const T* dy, int64_t n, int64_t hw, int64_t c) {
  const float inv = static_cast<float>(1.0 / static_cast<double>(hw));
  PRUNAS_GRID_STRIDE(idx, n * hw * c) {
    const int64_t ch = idx % c, img = idx / (hw * c);
    dx[idx] = from_float<T>(to_float(dy[img * c + ch]) * inv);
  }
}

void check_shape(int64_t n, int64_t hw, int64_t c) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  check_range("global average pool n", n, 1, kMax);
  check_range("global average pool hw", hw, 1, kMax / n);
  check_range("global average pool c", c, 1, kMax / (n * hw));
}

template <typename T>
void forward_as(DeviceContext& ctx, T* y, const T* x, int64_t n, int64_t hw, int64_t c) {
  check_shape(n, hw, c);
  pool_forward_kernel<T><<<grid_for(n * c), kThreads, 0, ctx.stream()>>>(y, x, n, hw, c);
  PRUNAS_CHECK_LAUNCH("pool_forward_kernel");
}

template <typename T>
void backward_as(DeviceContext& ctx, T* dx, const T* dy, int64_t n, int64_t hw, int64_t c) {
  check_shape(n, hw, c);
  pool_backward_kernel<T><<<grid_for(n * hw * c), kThreads, 0, ctx.stream()>>>(dx, dy, n, hw, c);
  PRUNAS_CHECK_LAUNCH("pool_backward_kernel");
}

}  // namespace

void global_avg_pool_forward(DeviceContext& ctx, float* y, const float* x, int64_t n, int64_t hw, int64_t c) {
  forward_as(ctx, y, x, n, hw, c);
}
void global_avg_pool_forward(DeviceContext& ctx, bf16* y, const bf16* x, int64_t n, int64_t hw, int64_t c) {
  forward_as(ctx, y, x, n, hw, c);
}

void global_avg_pool_backward(DeviceContext& ctx, float* dx, const float* dy, int64_t n, int64_t hw, int64_t c) {
  backward_as(ctx, dx, dy, n, hw, c);
}
void global_avg_pool_backward(DeviceContext& ctx, bf16* dx, const bf16* dy, int64_t n, int64_t hw, int64_t c) {
  backward_as(ctx, dx, dy, n, hw, c);
}

}  // namespace prunas::cuda
