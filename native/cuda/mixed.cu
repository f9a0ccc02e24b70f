// A mixed layer's combination y = residual + Σ_k z_k·o_k and its gate inner
// products g_k = ⟨o_k, ∂L/∂y⟩ (= ∂L/∂z_k), as native/nn/mixed_layer.cc.
// The candidate outputs' pointers go to the device as a small table.
// Activations are float or bf16; weights float, the dots in double.
#include <utility>
#include <vector>

#include "core/error.h"
#include "cuda/bf16_kernels.h"
#include "cuda/check.h"
#include "cuda/device_common.cuh"
#include "cuda/kernels.h"

namespace prunas::cuda {

namespace {

template <typename T>
__global__ void combine_kernel(T* y, const T* residual, const T* const* outputs, const float* weights, int count,
                               int64_t n) {
  PRUNAS_GRID_STRIDE(i, n) {
    float acc = residual ? to_float(residual[i]) : 0.0f;
    for (int k = 0; k < count; ++k) acc += weights[k] * to_float(outputs[k][i]);
    y[i] = from_float<T>(acc);
  }
}

// partial[2·(k·gridDim.x + b)] = Σ o_k·dy over the items of block b (a
// grid-stride loop over n, k = blockIdx.y, o_k = outputs[k], or `single`
// when outputs is null), partial[… + 1] the same over the items whose column
// i % width is < small (0 when small is 0). In double; each block's
// threads combined by block_sum: a fixed order for a given n.
template <typename T>
__global__ void dot_partials(double* partial, const T* const* outputs, const T* single, const T* dy, int64_t n,
                             int64_t width, int64_t small) {
  const T* o = outputs ? outputs[blockIdx.y] : single;
  const int64_t stride = static_cast<int64_t>(gridDim.x) * kThreads;
  int64_t i = static_cast<int64_t>(blockIdx.x) * kThreads + threadIdx.x;
  const int64_t stride_column = small > 0 ? stride % width : 0;
  int64_t column = small > 0 ? i % width : 0;
  double all = 0.0, first = 0.0;
  for (; i < n; i += stride) {
    const double v = static_cast<double>(to_float(o[i])) * to_float(dy[i]);
    all += v;
    if (small > 0) {
      if (column < small) first += v;
      column += stride_column;
      if (column >= width) column -= width;
    }
  }
  all = block_sum(all);
  first = block_sum(first);
  if (threadIdx.x == 0) {
    const int64_t slot = static_cast<int64_t>(blockIdx.y) * gridDim.x + blockIdx.x;
    partial[2 * slot] = all;
    partial[2 * slot + 1] = first;
  }
}

// totals[2k + j] = Σ_b partial[2·(k·blocks + b) + j]: one block per k, thread
// t adds blocks t, t + kThreads, … in order, then block_sum. With only_all,
// totals[k] = the j = 0 sum; with accumulate, the sums are added to what
// totals holds.
__global__ void dot_totals(double* totals, const double* partial, int64_t blocks, bool only_all, bool accumulate) {
  const double* p = partial + 2 * static_cast<int64_t>(blockIdx.x) * blocks;
  double all = 0.0, first = 0.0;
  for (int64_t b = threadIdx.x; b < blocks; b += kThreads) {
    all += p[2 * b];
    first += p[2 * b + 1];
  }
  all = block_sum(all);
  first = block_sum(first);
  if (threadIdx.x == 0) {
    if (only_all) {
      totals[blockIdx.x] = accumulate ? totals[blockIdx.x] + all : all;
    } else {
      totals[2 * blockIdx.x] = accumulate ? totals[2 * blockIdx.x] + all : all;
      totals[2 * blockIdx.x + 1] = accumulate ? totals[2 * blockIdx.x + 1] + first : first;
    }
  }
}

// Queues the dot products of `count` outputs (table or single) with dy into
// device memory `totals` (see dot_totals).
template <typename T>
void dots_to(DeviceContext& ctx, double* totals, bool only_all, bool accumulate, const T* const* table,
             const T* single, int count, const T* dy, int64_t n, int64_t width, int64_t small) {
  const unsigned blocks = flat_blocks(n);
  DeviceArray<double> partial(ctx, 2 * static_cast<int64_t>(count) * blocks);
  dot_partials<T><<<dim3(blocks, static_cast<unsigned>(count)), kThreads, 0, ctx.stream()>>>(partial.data(), table,
                                                                                           single, dy, n, width, small);
  PRUNAS_CHECK_LAUNCH("dot_partials");
  dot_totals<<<static_cast<unsigned>(count), kThreads, 0, ctx.stream()>>>(totals, partial.data(), blocks, only_all,
                                                                          accumulate);
  PRUNAS_CHECK_LAUNCH("dot_totals");
}

// The same with the totals (2 per output) back on the host. Synchronizes.
template <typename T>
std::vector<double> dots(DeviceContext& ctx, const T* const* table, const T* single, int count, const T* dy, int64_t n,
                         int64_t width, int64_t small, const char* what) {
  DeviceArray<double> totals(ctx, 2 * count);
  dots_to(ctx, totals.data(), false, false, table, single, count, dy, n, width, small);
  std::vector<double> host(static_cast<size_t>(2 * count));
  copy_to_host(ctx, host.data(), totals.data(), sizeof(double) * host.size());
  ctx.synchronize(what);
  return host;
}

// A Prunode's channel gates: y[r, j] = (big + (j < small ? small_gate : 0))·x[r, j].
template <typename T>
__global__ void channel_gate_kernel(T* y, const T* x, int64_t rows, int64_t width, int64_t small, float big,
                                    float small_gate) {
  PRUNAS_GRID_STRIDE(i, rows * width) {
    const int64_t j = i % width;
    y[i] = from_float<T>((j < small ? big + small_gate : big) * to_float(x[i]));
  }
}

template <typename T>
void channel_gate_as(DeviceContext& ctx, T* y, const T* x, int64_t rows, int64_t width, int64_t small, float big,
                     float small_gate) {
  if (rows <= 0 || width <= 0) return;
  channel_gate_kernel<T><<<grid_for(rows * width), kThreads, 0, ctx.stream()>>>(y, x, rows, width, small, big,
                                                                                small_gate);
  PRUNAS_CHECK_LAUNCH("channel_gate_kernel");
}

template <typename T>
std::pair<double, double> channel_gate_dots_as(DeviceContext& ctx, const T* h, const T* d, int64_t rows,
                                               int64_t width, int64_t small) {
  if (rows <= 0 || width <= 0) return {0.0, 0.0};
  const std::vector<double> t =
      dots<T>(ctx, nullptr, h, 1, d, rows * width, width, std::min(small, width), "prunode gate inner products");
  return {t[0], t[1]};
}

template <typename T>
void channel_gate_dots_to_as(DeviceContext& ctx, double* out, const T* h, const T* d, int64_t rows, int64_t width,
                             int64_t small) {
  if (rows <= 0 || width <= 0) {
    fill_zero(ctx, out, 2 * sizeof(double));
    return;
  }
  dots_to<T>(ctx, out, false, false, nullptr, h, 1, d, rows * width, width, std::min(small, width));
}

template <typename T>
void dot_to_as(DeviceContext& ctx, double* out, bool accumulate, const T* a, const T* b, int64_t n) {
  if (n <= 0) {
    if (!accumulate) fill_zero(ctx, out, sizeof(double));
    return;
  }
  dots_to<T>(ctx, out, true, accumulate, nullptr, a, 1, b, n, 1, 0);
}

template <typename T>
void combine_as(DeviceContext& ctx, T* y, const T* residual, const std::vector<const T*>& outputs,
                const std::vector<float>& weights, int64_t n) {
  if (outputs.size() != weights.size())
    throw_range("mixed combination: " + std::to_string(outputs.size()) + " outputs but " +
                std::to_string(weights.size()) + " weights");
  if (outputs.empty() || n <= 0) throw_range("mixed combination needs outputs and n > 0");
  DeviceArray<const T*> table = upload(ctx, outputs.data(), static_cast<int64_t>(outputs.size()));
  DeviceArray<float> z = upload(ctx, weights.data(), static_cast<int64_t>(weights.size()));
  combine_kernel<T><<<grid_for(n), kThreads, 0, ctx.stream()>>>(y, residual, table.data(), z.data(),
                                                                static_cast<int>(outputs.size()), n);
  PRUNAS_CHECK_LAUNCH("combine_kernel");
}

template <typename T>
std::vector<double> gate_inner_products_as(DeviceContext& ctx, const std::vector<const T*>& outputs, const T* dy,
                                           int64_t n) {
  if (outputs.empty() || n <= 0) throw_range("gate inner products need outputs and n > 0");
  if (outputs.size() > 65535) throw_range("gate inner products take at most 65535 outputs");
  const int count = static_cast<int>(outputs.size());
  DeviceArray<const T*> table = upload(ctx, outputs.data(), count);
  const std::vector<double> t = dots<T>(ctx, table.data(), nullptr, count, dy, n, 1, 0, "gate inner products");
  std::vector<double> gates(outputs.size());
  for (int k = 0; k < count; ++k) gates[k] = t[2 * k];
  return gates;
}

}  // namespace

void channel_gate(DeviceContext& ctx, float* y, const float* x, int64_t rows, int64_t width, int64_t small, float big,
                  float small_gate) {
  channel_gate_as(ctx, y, x, rows, width, small, big, small_gate);
}
void channel_gate(DeviceContext& ctx, bf16* y, const bf16* x, int64_t rows, int64_t width, int64_t small, float big,
                  float small_gate) {
  channel_gate_as(ctx, y, x, rows, width, small, big, small_gate);
}

std::pair<double, double> channel_gate_dots(DeviceContext& ctx, const float* h, const float* d, int64_t rows,
                                            int64_t width, int64_t small) {
  return channel_gate_dots_as(ctx, h, d, rows, width, small);
}
std::pair<double, double> channel_gate_dots(DeviceContext& ctx, const bf16* h, const bf16* d, int64_t rows,
                                            int64_t width, int64_t small) {
  return channel_gate_dots_as(ctx, h, d, rows, width, small);
}

void channel_gate_dots_to(DeviceContext& ctx, double* out, const float* h, const float* d, int64_t rows, int64_t width,
                          int64_t small) {
  channel_gate_dots_to_as(ctx, out, h, d, rows, width, small);
}
void channel_gate_dots_to(DeviceContext& ctx, double* out, const bf16* h, const bf16* d, int64_t rows, int64_t width,
                          int64_t small) {
  channel_gate_dots_to_as(ctx, out, h, d, rows, width, small);
}
void dot_to(DeviceContext& ctx, double* out, bool accumulate, const float* a, const float* b, int64_t n) {
  dot_to_as(ctx, out, accumulate, a, b, n);
}
void dot_to(DeviceContext& ctx, double* out, bool accumulate, const bf16* a, const bf16* b, int64_t n) {
  dot_to_as(ctx, out, accumulate, a, b, n);
}

void mixed_combine_forward(DeviceContext& ctx, float* y, const float* residual, const std::vector<const float*>& outputs,
                           const std::vector<float>& weights, int64_t n) {
  combine_as(ctx, y, residual, outputs, weights, n);
}
void mixed_combine_forward(DeviceContext& ctx, bf16* y, const bf16* residual, const std::vector<const bf16*>& outputs,
                           const std::vector<float>& weights, int64_t n) {
  combine_as(ctx, y, residual, outputs, weights, n);
}

std::vector<double> gate_inner_products(DeviceContext& ctx, const std::vector<const float*>& outputs, const float* dy,
                                        int64_t n) {
  return gate_inner_products_as(ctx, outputs, dy, n);
}
std::vector<double> gate_inner_products(DeviceContext& ctx, const std::vector<const bf16*>& outputs, const bf16* dy,
                                        int64_t n) {
  return gate_inner_products_as(ctx, outputs, dy, n);
}

}  // namespace prunas::cuda
