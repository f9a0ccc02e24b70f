// Losses on the GPU: softmax cross-entropy with label smoothing (loss,
// correct count, gradient) and mean squared error, as native/cpu/loss.cc.
// One thread per row (cross-entropy) or a grid-stride loop (MSE) in double;
// the row or block results are combined in a fixed order (block_sum), so the
// loss does not change from run to run. Logits, gradients and MSE inputs are
// float or bf16 (widened to float on load).
#include <limits>
#include <string>

#include "core/error.h"
#include "cuda/bf16_kernels.h"
#include "cuda/check.h"
#include "cuda/device_common.cuh"
#include "cuda/kernels.h"

namespace prunas::cuda {

namespace {

template <typename T>
__global__ void cross_entropy_rows(double* row_loss, int* row_correct, T* dlogits, const T* logits,
                                   const int32_t* labels, int64_t n, int64_t k, double smoothing) {
  PRUNAS_GRID_STRIDE(i, n) {
    const T* z = logits + i * k;
    const int32_t label = labels[i];
    if (label < 0 || label >= k) {
      row_loss[i] = nan("");
      row_correct[i] = 0;
      continue;
    }
    int64_t argmax = 0;
    for (int64_t j = 1; j < k; ++j)
      if (to_float(z[j]) > to_float(z[argmax])) argmax = j;
    const double zmax = to_float(z[argmax]);
    double sum_exp = 0.0, sum_z = 0.0;
    for (int64_t j = 0; j < k; ++j) {
      sum_exp += exp(to_float(z[j]) - zmax);
      sum_z += to_float(z[j]);
    }
    const double log_sum = zmax + log(sum_exp);
    row_loss[i] = (1.0 - smoothing) * (log_sum - to_float(z[label])) + smoothing * (log_sum - sum_z / k);
    row_correct[i] = argmax == label;
    if (dlogits) {
      T* g = dlogits + i * k;
      for (int64_t j = 0; j < k; ++j) {
        const double target = (j == label ? 1.0 - smoothing : 0.0) + smoothing / k;
        g[j] = from_float<T>(static_cast<float>((exp(to_float(z[j]) - log_sum) - target) / n));
      }
    }
  }
}

// result[0] = Σ values / divisor, result[1] = Σ counts (counts may be null):
// one block of kThreads, thread t adds items t, t + kThreads, … in order, then
// block_sum (a fixed order for a given n).
__global__ void ordered_total(double* result, const double* values, const int* counts, int64_t n, double divisor) {
  double total = 0.0, hits = 0.0;
  for (int64_t i = threadIdx.x; i < n; i += kThreads) {
    total += values[i];
    if (counts) hits += counts[i];
  }
  total = block_sum(total);
  hits = block_sum(hits);
  if (threadIdx.x == 0) {
    result[0] = total / divisor;
    result[1] = hits;
  }
}

// partial[block] = Σ (a − b)² over the block's items of a grid-stride loop
// (grid flat_blocks(n), kThreads threads); da = 2(a − b)/n where given.
template <typename T>
__global__ void mse_partials(double* partial, T* da, const T* a, const T* b, int64_t n) {
  const double scale = 2.0 / static_cast<double>(n);
  double s = 0.0;
  PRUNAS_GRID_STRIDE(i, n) {
    const double d = static_cast<double>(to_float(a[i])) - to_float(b[i]);
    s += d * d;
    if (da) da[i] = from_float<T>(static_cast<float>(scale * d));
  }
  s = block_sum(s);
  if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// partial[4·block + j] = the block's Σ (a − b)², Σ |a − b|, Σ b, Σ b² (j = 0..3)
// over the items of a grid-stride loop (grid flat_blocks(n), kThreads threads).
template <typename T>
__global__ void regression_partials(double* partial, const T* a, const T* b, int64_t n) {
  double squared = 0.0, absolute = 0.0, target = 0.0, target_squared = 0.0;
  PRUNAS_GRID_STRIDE(i, n) {
    const double y = to_float(b[i]);
    const double d = static_cast<double>(to_float(a[i])) - y;
    squared += d * d;
    absolute += fabs(d);
    target += y;
    target_squared += y * y;
  }
  squared = block_sum(squared);
  absolute = block_sum(absolute);
  target = block_sum(target);
  target_squared = block_sum(target_squared);
  if (threadIdx.x == 0) {
    double* p = partial + 4 * static_cast<int64_t>(blockIdx.x);
    p[0] = squared;
    p[1] = absolute;
    p[2] = target;
    p[3] = target_squared;
  }
}

// out[j] = Σ_block partial[4·block + j]: one block of kThreads, thread t adds
// blocks t, t + kThreads, … in order, then block_sum.
__global__ void regression_totals(double* out, const double* partial, int64_t blocks) {
  double s[4] = {0.0, 0.0, 0.0, 0.0};
  for (int64_t b = threadIdx.x; b < blocks; b += kThreads)
    for (int j = 0; j < 4; ++j) s[j] += partial[4 * b + j];
  for (int j = 0; j < 4; ++j) s[j] = block_sum(s[j]);
  if (threadIdx.x == 0)
    for (int j = 0; j < 4; ++j) out[j] = s[j];
}

template <typename T>
void regression_sums_as(DeviceContext& ctx, double* out, const T* a, const T* b, int64_t n) {
  check_range("regression sums n", n, 1, std::numeric_limits<int64_t>::max());
  const unsigned blocks = flat_blocks(n);
  DeviceArray<double> partial(ctx, 4 * static_cast<int64_t>(blocks));
  regression_partials<T><<<blocks, kThreads, 0, ctx.stream()>>>(partial.data(), a, b, n);
  PRUNAS_CHECK_LAUNCH("regression_partials");
  regression_totals<<<1, kThreads, 0, ctx.stream()>>>(out, partial.data(), blocks);
  PRUNAS_CHECK_LAUNCH("regression_totals");
}

LossResult read_result(DeviceContext& ctx, const DeviceArray<double>& result, const char* what) {
  double host[2] = {0.0, 0.0};
  copy_to_host(ctx, host, result.data(), sizeof(host));
  ctx.synchronize(what);
  return {host[0], static_cast<int64_t>(host[1])};
}

template <typename T>
void cross_entropy_to(DeviceContext& ctx, double* out, T* dlogits, const T* logits, const int32_t* labels, int64_t n,
                      int64_t k, double smoothing) {
  check_range("softmax cross-entropy n", n, 1, std::numeric_limits<int32_t>::max());
  check_range("softmax cross-entropy k", k, 1, std::numeric_limits<int32_t>::max());
  check_range("softmax cross-entropy n·k", n, 1, std::numeric_limits<int64_t>::max() / k);
  if (!(smoothing >= 0.0 && smoothing <= 1.0))
    throw_range("softmax cross-entropy smoothing must be in [0, 1], got " + std::to_string(smoothing));
  // the row arrays go back to the allocator while the kernels may still run:
  // it hands them out again only to work queued after them on this stream
  DeviceArray<double> row_loss(ctx, n);
  DeviceArray<int> row_correct(ctx, n);
  cross_entropy_rows<T><<<grid_for(n, 128), 128, 0, ctx.stream()>>>(row_loss.data(), row_correct.data(), dlogits,
                                                                    logits, labels, n, k, smoothing);
  PRUNAS_CHECK_LAUNCH("cross_entropy_rows");
  ordered_total<<<1, kThreads, 0, ctx.stream()>>>(out, row_loss.data(), row_correct.data(), n,
                                                  static_cast<double>(n));
  PRUNAS_CHECK_LAUNCH("ordered_total (cross-entropy)");
}

template <typename T>
void mse_to(DeviceContext& ctx, double* out, T* da, const T* a, const T* b, int64_t n) {
  check_range("mse n", n, 1, std::numeric_limits<int64_t>::max());
  const unsigned blocks = flat_blocks(n);
  DeviceArray<double> partial(ctx, blocks);
  mse_partials<T><<<blocks, kThreads, 0, ctx.stream()>>>(partial.data(), da, a, b, n);
  PRUNAS_CHECK_LAUNCH("mse_partials");
  ordered_total<<<1, kThreads, 0, ctx.stream()>>>(out, partial.data(), nullptr, blocks, static_cast<double>(n));
  PRUNAS_CHECK_LAUNCH("ordered_total (mse)");
}

template <typename T>
LossResult cross_entropy_as(DeviceContext& ctx, T* dlogits, const T* logits, const int32_t* labels, int64_t n,
                            int64_t k, double smoothing) {
  DeviceArray<double> result(ctx, 2);
  cross_entropy_to(ctx, result.data(), dlogits, logits, labels, n, k, smoothing);
  return read_result(ctx, result, "softmax cross-entropy");
}

template <typename T>
LossResult mse_as(DeviceContext& ctx, T* da, const T* a, const T* b, int64_t n) {
  DeviceArray<double> result(ctx, 2);
  mse_to(ctx, result.data(), da, a, b, n);
  return read_result(ctx, result, "mse loss");
}

}  // namespace

void softmax_cross_entropy_to(DeviceContext& ctx, double* out, float* dlogits, const float* logits,
                              const int32_t* labels, int64_t n, int64_t k, double smoothing) {
  cross_entropy_to(ctx, out, dlogits, logits, labels, n, k, smoothing);
}
void softmax_cross_entropy_to(DeviceContext& ctx, double* out, bf16* dlogits, const bf16* logits,
                              const int32_t* labels, int64_t n, int64_t k, double smoothing) {
  cross_entropy_to(ctx, out, dlogits, logits, labels, n, k, smoothing);
}
void regression_sums_to(DeviceContext& ctx, double* out, const float* a, const float* b, int64_t n) {
  regression_sums_as(ctx, out, a, b, n);
}
void regression_sums_to(DeviceContext& ctx, double* out, const bf16* a, const bf16* b, int64_t n) {
  regression_sums_as(ctx, out, a, b, n);
}
void mse_loss_to(DeviceContext& ctx, double* out, float* da, const float* a, const float* b, int64_t n) {
  mse_to(ctx, out, da, a, b, n);
}
void mse_loss_to(DeviceContext& ctx, double* out, bf16* da, const bf16* a, const bf16* b, int64_t n) {
  mse_to(ctx, out, da, a, b, n);
}

LossResult softmax_cross_entropy(DeviceContext& ctx, float* dlogits, const float* logits, const int32_t* labels,
                                 int64_t n, int64_t k, double smoothing) {
  return cross_entropy_as(ctx, dlogits, logits, labels, n, k, smoothing);
}
LossResult softmax_cross_entropy(DeviceContext& ctx, bf16* dlogits, const bf16* logits, const int32_t* labels,
                                 int64_t n, int64_t k, double smoothing) {
  return cross_entropy_as(ctx, dlogits, logits, labels, n, k, smoothing);
}

LossResult mse_loss(DeviceContext& ctx, float* da, const float* a, const float* b, int64_t n) {
  return mse_as(ctx, da, a, b, n);
}
LossResult mse_loss(DeviceContext& ctx, bf16* da, const bf16* a, const bf16* b, int64_t n) {
  return mse_as(ctx, da, a, b, n);
}

}  // namespace prunas::cuda
