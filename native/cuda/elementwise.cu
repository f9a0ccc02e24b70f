// Elementwise kernels: activations forward/backward, the residual add, the
// bias add of GEMM-based layers and deterministic column sums (their bias
// gradient), for float and bf16 storage; the conversions between the two.
// Conventions at the kinks as native/cpu/activation.cc.
#include "cuda/activation.cuh"
#include "cuda/bf16_kernels.h"
#include "cuda/check.h"
#include "cuda/device_common.cuh"
#include "cuda/kernels.h"

namespace prunas::cuda {

namespace {

template <typename T>
__global__ void activation_forward_kernel(T* y, const T* x, int64_t n, Activation act) {
  PRUNAS_GRID_STRIDE(i, n) y[i] = from_float<T>(activate(to_float(x[i]), act));
}

template <typename T>
__global__ void activation_backward_kernel(T* dx, const T* dy, const T* x, int64_t n, Activation act) {
  PRUNAS_GRID_STRIDE(i, n) dx[i] = from_float<T>(activation_grad(to_float(dy[i]), to_float(x[i]), act));
}

template <typename T>
__global__ void add_kernel(T* y, const T* a, const T* b, int64_t n) {
  PRUNAS_GRID_STRIDE(i, n) y[i] = from_float<T>(to_float(a[i]) + to_float(b[i]));
}

template <typename T>
__global__ void add_bias_kernel(T* y, const float* bias, int64_t rows, int64_t c) {
  PRUNAS_GRID_STRIDE(i, rows * c) y[i] = from_float<T>(to_float(y[i]) + bias[i % c]);
}

template <typename T>
__global__ void column_partials(double* partial, const T* x, int64_t rows, int64_t c, int64_t chunks,
                                int64_t per_chunk) {
  PRUNAS_GRID_STRIDE(idx, chunks * c) {
    const int64_t col = idx % c, chunk = idx / c;
    const int64_t end = min(rows, (chunk + 1) * per_chunk);
    double acc = 0.0;
    for (int64_t r = chunk * per_chunk; r < end; ++r) acc += to_float(x[r * c + col]);
    partial[idx] = acc;
  }
}

// out[col] = Σ_chunk partial[chunk][col] in column blocks (column_total).
__global__ void __launch_bounds__(1024) sum_column_partials(float* out, const double* partial, int64_t chunks,
                                                            int64_t c) {
  const int64_t col = static_cast<int64_t>(blockIdx.x) * 32 + threadIdx.x;
  const double s = column_total(partial, chunks, c, col);
  if (threadIdx.y == 0 && col < c) out[col] = static_cast<float>(s);
}

__global__ void to_bf16_kernel(bf16* dst, const float* src, int64_t n) {
  PRUNAS_GRID_STRIDE(i, n) dst[i] = from_float<bf16>(src[i]);
}

__global__ void to_float_kernel(float* dst, const bf16* src, int64_t n) {
  PRUNAS_GRID_STRIDE(i, n) dst[i] = to_float(src[i]);
}

template <typename T>
void add_forward_as(DeviceContext& ctx, T* y, const T* a, const T* b, int64_t n) {
  add_kernel<T><<<grid_for(n), kThreads, 0, ctx.stream()>>>(y, a, b, n);
  PRUNAS_CHECK_LAUNCH("add_kernel");
}

template <typename T>
void add_bias_as(DeviceContext& ctx, T* y, const float* bias, int64_t rows, int64_t c) {
  add_bias_kernel<T><<<grid_for(rows * c), kThreads, 0, ctx.stream()>>>(y, bias, rows, c);
  PRUNAS_CHECK_LAUNCH("add_bias_kernel");
}

template <typename T>
void column_sums_as(DeviceContext& ctx, float* out, const T* x, int64_t rows, int64_t c) {
  const int64_t chunks = reduction_chunks(rows, c);
  const int64_t per_chunk = (rows + chunks - 1) / chunks;
  DeviceArray<double> partial(ctx, chunks * c);
  column_partials<T><<<grid_for(chunks * c), kThreads, 0, ctx.stream()>>>(partial.data(), x, rows, c, chunks,
                                                                          per_chunk);
  PRUNAS_CHECK_LAUNCH("column_partials");
  sum_column_partials<<<column_blocks(c), column_block(), 0, ctx.stream()>>>(out, partial.data(), chunks, c);
  PRUNAS_CHECK_LAUNCH("sum_column_partials");
}

}  // namespace

void activation_forward(DeviceContext& ctx, float* y, const float* x, int64_t n, Activation act) {
  activation_forward_kernel<float><<<grid_for(n), kThreads, 0, ctx.stream()>>>(y, x, n, act);
  PRUNAS_CHECK_LAUNCH("activation_forward_kernel");
}

void activation_backward(DeviceContext& ctx, float* dx, const float* dy, const float* x, int64_t n, Activation act) {
  activation_backward_kernel<float><<<grid_for(n), kThreads, 0, ctx.stream()>>>(dx, dy, x, n, act);
  PRUNAS_CHECK_LAUNCH("activation_backward_kernel");
}

void add_forward(DeviceContext& ctx, float* y, const float* a, const float* b, int64_t n) {
  add_forward_as(ctx, y, a, b, n);
}
void add_forward(DeviceContext& ctx, bf16* y, const bf16* a, const bf16* b, int64_t n) {
  add_forward_as(ctx, y, a, b, n);
}

void add_bias(DeviceContext& ctx, float* y, const float* bias, int64_t rows, int64_t c) {
  add_bias_as(ctx, y, bias, rows, c);
}
void add_bias(DeviceContext& ctx, bf16* y, const float* bias, int64_t rows, int64_t c) {
  add_bias_as(ctx, y, bias, rows, c);
}

void column_sums(DeviceContext& ctx, float* out, const float* x, int64_t rows, int64_t c) {
  column_sums_as(ctx, out, x, rows, c);
}
void column_sums(DeviceContext& ctx, float* out, const bf16* x, int64_t rows, int64_t c) {
  column_sums_as(ctx, out, x, rows, c);
}

void to_bf16(DeviceContext& ctx, bf16* dst, const float* src, int64_t n) {
  to_bf16_kernel<<<grid_for(n), kThreads, 0, ctx.stream()>>>(dst, src, n);
  PRUNAS_CHECK_LAUNCH("to_bf16_kernel");
}

void to_float(DeviceContext& ctx, float* dst, const bf16* src, int64_t n) {
  to_float_kernel<<<grid_for(n), kThreads, 0, ctx.stream()>>>(dst, src, n);
  PRUNAS_CHECK_LAUNCH("to_float_kernel");
}

}  // namespace prunas::cuda
