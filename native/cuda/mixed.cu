// A mixed layer's combination y = residual + Σ_k z_k·o_k and its gate inner
// products g_k = ⟨o_k, ∂L/∂y⟩ (= ∂L/∂z_k), as native/nn/mixed_layer.cc.
// The candidate outputs' pointers go to the device as a small table.
#include <utility>
#include <vector>

#include "core/error.h"
#include "cuda/check.h"
#include "cuda/device_common.cuh"
#include "cuda/kernels.h"

namespace prunas::cuda {

namespace {

__global__ void combine_kernel(float* y, const float* residual, const float* const* outputs, const float* weights,
                               int count, int64_t n) {
  PRUNAS_GRID_STRIDE(i, n) {
    float acc = residual ? residual[i] : 0.0f;
    for (int k = 0; k < count; ++k) acc += weights[k] * outputs[k][i];
    y[i] = acc;
  }
}

// partial[k][chunk] = Σ over the chunk of o_k·dy, in double.
__global__ void dot_partials(double* partial, const float* const* outputs, const float* dy, int count, int64_t n,
                             int64_t chunks, int64_t per_chunk) {
  PRUNAS_GRID_STRIDE(idx, count * chunks) {
    const int64_t k = idx / chunks, chunk = idx % chunks;
    const int64_t end = min(n, (chunk + 1) * per_chunk);
    const float* o = outputs[k];
    double acc = 0.0;
    for (int64_t i = chunk * per_chunk; i < end; ++i) acc += static_cast<double>(o[i]) * dy[i];
    partial[idx] = acc;
  }
}

__global__ void dot_totals(double* gates, const double* partial, int count, int64_t chunks) {
  PRUNAS_GRID_STRIDE(k, count) {
    double s = 0.0;
    for (int64_t c = 0; c < chunks; ++c) s += partial[k * chunks + c];
    gates[k] = s;
  }
}

// A Prunode's channel gates: y[r, j] = (big + (j < small ? small_gate : 0))·x[r, j].
__global__ void channel_gate_kernel(float* y, const float* x, int64_t rows, int64_t width, int64_t small, float big,
                                    float small_gate) {
  PRUNAS_GRID_STRIDE(i, rows * width) {
    const int64_t j = i % width;
    y[i] = (j < small ? big + small_gate : big) * x[i];
  }
}

// partial[2·chunk] = Σ h·d over all channels of the chunk's rows,
// partial[2·chunk + 1] = the same over the first `small` channels.
__global__ void channel_dot_partials(double* partial, const float* h, const float* d, int64_t rows, int64_t width,
                                     int64_t small, int64_t chunks, int64_t rows_per_chunk) {
  PRUNAS_GRID_STRIDE(chunk, chunks) {
    const int64_t end = min(rows, (chunk + 1) * rows_per_chunk);
    double all = 0.0, first = 0.0;
    for (int64_t r = chunk * rows_per_chunk; r < end; ++r) {
      double s = 0.0, t = 0.0;
      for (int64_t j = 0; j < small; ++j) s += static_cast<double>(h[r * width + j]) * d[r * width + j];
      for (int64_t j = small; j < width; ++j) t += static_cast<double>(h[r * width + j]) * d[r * width + j];
      first += s;
      all += s + t;
    }
    partial[2 * chunk] = all;
    partial[2 * chunk + 1] = first;
  }
}

}  // namespace

void channel_gate(DeviceContext& ctx, float* y, const float* x, int64_t rows, int64_t width, int64_t small, float big,
                  float small_gate) {
  if (rows <= 0 || width <= 0) return;
  channel_gate_kernel<<<grid_for(rows * width), kThreads, 0, ctx.stream()>>>(y, x, rows, width, small, big,
                                                                             small_gate);
  PRUNAS_CHECK_LAUNCH("channel_gate_kernel");
}

std::pair<double, double> channel_gate_dots(DeviceContext& ctx, const float* h, const float* d, int64_t rows,
                                            int64_t width, int64_t small) {
  if (rows <= 0 || width <= 0) return {0.0, 0.0};
  const int64_t chunks = reduction_chunks(rows, width, int64_t{1} << 16);
  const int64_t rows_per_chunk = (rows + chunks - 1) / chunks;
  DeviceArray<double> partial(ctx, 2 * chunks);
  channel_dot_partials<<<grid_for(chunks), kThreads, 0, ctx.stream()>>>(partial.data(), h, d, rows, width, small,
                                                                        chunks, rows_per_chunk);
  PRUNAS_CHECK_LAUNCH("channel_dot_partials");
  std::vector<double> host(static_cast<size_t>(2 * chunks));
  copy_to_host(ctx, host.data(), partial.data(), sizeof(double) * host.size());
  ctx.synchronize("prunode gate inner products");
  double all = 0.0, first = 0.0;
  for (int64_t c = 0; c < chunks; ++c) {
    all += host[2 * c];
    first += host[2 * c + 1];
  }
  return {all, first};
}

void mixed_combine_forward(DeviceContext& ctx, float* y, const float* residual, const std::vector<const float*>& outputs,
                           const std::vector<float>& weights, int64_t n) {
  if (outputs.size() != weights.size())
    throw_range("mixed combination: " + std::to_string(outputs.size()) + " outputs but " +
                std::to_string(weights.size()) + " weights");
  if (outputs.empty() || n <= 0) throw_range("mixed combination needs outputs and n > 0");
  DeviceArray<const float*> table = upload(ctx, outputs.data(), static_cast<int64_t>(outputs.size()));
  DeviceArray<float> z = upload(ctx, weights.data(), static_cast<int64_t>(weights.size()));
  combine_kernel<<<grid_for(n), kThreads, 0, ctx.stream()>>>(y, residual, table.data(), z.data(),
                                                             static_cast<int>(outputs.size()), n);
  PRUNAS_CHECK_LAUNCH("combine_kernel");
}

std::vector<double> gate_inner_products(DeviceContext& ctx, const std::vector<const float*>& outputs, const float* dy,
                                        int64_t n) {
  if (outputs.empty() || n <= 0) throw_range("gate inner products need outputs and n > 0");
  const int count = static_cast<int>(outputs.size());
  const int64_t chunks = reduction_chunks(n, count, int64_t{1} << 16);
  const int64_t per_chunk = (n + chunks - 1) / chunks;
  DeviceArray<const float*> table = upload(ctx, outputs.data(), count);
  DeviceArray<double> partial(ctx, count * chunks), gates(ctx, count);
  dot_partials<<<grid_for(count * chunks), kThreads, 0, ctx.stream()>>>(partial.data(), table.data(), dy, count, n,
                                                                        chunks, per_chunk);
  PRUNAS_CHECK_LAUNCH("dot_partials");
  dot_totals<<<1, 32, 0, ctx.stream()>>>(gates.data(), partial.data(), count, chunks);
  PRUNAS_CHECK_LAUNCH("dot_totals");
  std::vector<double> host(count);
  copy_to_host(ctx, host.data(), gates.data(), sizeof(double) * count);
  ctx.synchronize("gate inner products");
  return host;
}

}  // namespace prunas::cuda
