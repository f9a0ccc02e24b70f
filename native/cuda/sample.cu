// Path sampling on the device from per-layer probabilities, with a device
// Philox4x32-10 that reproduces native/core/philox.h: uniform number i of
// Philox(seed, stream, counter) is word i % 4 of the block at counter + i / 4.
// Layer l uses uniform l (single) or 3l, 3l+1, 3l+2 (pair), exactly the
// draws nn::Supernet::sample_paths consumes on the CPU, so the GPU and the
// CPU choose the same paths. One thread per layer.
#include <cstdint>

#include "core/error.h"
#include "cuda/check.h"
#include "cuda/device_common.cuh"
#include "cuda/kernels.h"
#include "cuda/philox.cuh"

namespace prunas::cuda {

namespace {

// Uniform number `index` of the stream, in [0, 1) with 24 random bits.
__device__ float philox_uniform(uint64_t seed, uint64_t stream, uint64_t counter, uint64_t index) {
  const PhiloxWords b = philox_words(seed, stream, counter + index / 4);
  return static_cast<float>(b.w[index % 4] >> 8) * (1.0f / 16777216.0f);
}

// Index k (≠ exclude) with probability p[k] / Σ p over the allowed k, by
// inverse CDF on u; −1 when nothing has positive probability.
__device__ int draw(const float* p, int count, int exclude, float u) {
  double total = 0.0;
  for (int k = 0; k < count; ++k)
    if (k != exclude) total += p[k];
  if (!(total > 0.0)) return -1;
  const double target = static_cast<double>(u) * total;
  double acc = 0.0;
  int last = -1;
  for (int k = 0; k < count; ++k) {
    if (k == exclude || p[k] <= 0.0f) continue;
    acc += p[k];
    last = k;
    if (target < acc) return k;
  }
  return last;
}

__global__ void sample_kernel(int32_t* active, int32_t* other, const float* probabilities, const int32_t* offsets,
                              int layers, bool pair, uint64_t seed, uint64_t stream, uint64_t counter) {
  PRUNAS_GRID_STRIDE(l, layers) {
    const float* p = probabilities + offsets[l];
    const int n = offsets[l + 1] - offsets[l];
    const uint64_t first = pair ? 3 * static_cast<uint64_t>(l) : static_cast<uint64_t>(l);
    const int a = draw(p, n, -1, philox_uniform(seed, stream, counter, first));
    active[l] = a;
    other[l] = -1;
    if (!pair || a < 0) continue;
    const int b = draw(p, n, a, philox_uniform(seed, stream, counter, first + 1));
    if (b < 0) continue;
    const float u3 = philox_uniform(seed, stream, counter, first + 2);
    const bool keep = static_cast<double>(u3) * (static_cast<double>(p[a]) + p[b]) < p[a];
    active[l] = keep ? a : b;
    other[l] = keep ? b : a;
  }
}

__global__ void uniform_kernel(float* out, int64_t count, uint64_t seed, uint64_t stream, uint64_t counter) {
  PRUNAS_GRID_STRIDE(i, count) out[i] = philox_uniform(seed, stream, counter, static_cast<uint64_t>(i));
}

}  // namespace

void philox_uniform_fill(DeviceContext& ctx, float* out, int64_t count, uint64_t seed, uint64_t stream,
                         uint64_t counter) {
  if (count <= 0) return;
  uniform_kernel<<<grid_for(count), kThreads, 0, ctx.stream()>>>(out, count, seed, stream, counter);
  PRUNAS_CHECK_LAUNCH("uniform_kernel");
}

void sample_paths(DeviceContext& ctx, int32_t* active, int32_t* other, const float* probabilities,
                  const int32_t* offsets, int layers, bool pair, uint64_t seed, uint64_t stream, uint64_t counter) {
  check_range("sample_paths layers", layers, 1, 1 << 20);
  sample_kernel<<<grid_for(layers, 128), 128, 0, ctx.stream()>>>(active, other, probabilities, offsets, layers, pair,
                                                                 seed, stream, counter);
  PRUNAS_CHECK_LAUNCH("sample_kernel");
}

}  // namespace prunas::cuda
