// Batch normalisation fused with the activation that follows it, on [rows, c]
// (NHWC flattened), forward (train, eval) and backward side by side. Same
// semantics as native/cpu/batchnorm.cc followed by native/cpu/activation.cc:
// batch statistics in double over fixed chunks of rows (two passes: mean,
// then squared deviations), PyTorch's running-statistics update.
// x, y, dx and dy are float or bf16 (storage only: the math is float, the
// sums double); statistics, γ, β and their gradients are float.
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"
#include "cuda/activation.cuh"
#include "cuda/bf16_kernels.h"
#include "cuda/check.h"
#include "cuda/device_common.cuh"
#include "cuda/kernels.h"

namespace prunas::cuda {

namespace {

struct Chunks {
  int64_t count, per_chunk;
};

Chunks chunks_for(int64_t rows, int64_t width) {
  const int64_t count = reduction_chunks(rows, width);
  return {count, (rows + count - 1) / count};
}

// partial[chunk][ch] = Σ_rows-in-chunk of x − center[ch] (center may be
// null), squared when `square`.
template <typename T>
__global__ void channel_partials(double* partial, const T* x, const double* center, int64_t rows, int64_t c,
                                 Chunks ch_split, bool square) {
  PRUNAS_GRID_STRIDE(idx, ch_split.count * c) {
    const int64_t ch = idx % c, chunk = idx / c;
    const int64_t end = min(rows, (chunk + 1) * ch_split.per_chunk);
    const double mu = center ? center[ch] : 0.0;
    double acc = 0.0;
    for (int64_t r = chunk * ch_split.per_chunk; r < end; ++r) {
      const double d = static_cast<double>(to_float(x[r * c + ch])) - mu;
      acc += square ? d * d : d;
    }
    partial[idx] = acc;
  }
}

// The finishing kernels run in column blocks (column_total, device_common.cuh).
__device__ __forceinline__ int64_t column_of_block() { return static_cast<int64_t>(blockIdx.x) * 32 + threadIdx.x; }

__global__ void __launch_bounds__(1024) mean_of(double* mean, const double* partial, int64_t chunks, int64_t rows,
                                                int64_t c) {
  const int64_t ch = column_of_block();
  const double s = column_total(partial, chunks, c, ch);
  if (threadIdx.y == 0 && ch < c) mean[ch] = s / static_cast<double>(rows);
}

// From the squared deviations: saved statistics, running update, and the
// float center/scale of the normalisation (as the CPU rounds them).
__global__ void __launch_bounds__(1024)
    finish_statistics(float* save_mean, float* save_invstd, float* running_mean, float* running_var, float* center,
                      float* scale, const double* mean, const double* partial, const float* gamma, int64_t chunks,
                      int64_t rows, int64_t c, float momentum, float eps) {
  const int64_t ch = column_of_block();
  const double squares = column_total(partial, chunks, c, ch);
  if (threadIdx.y == 0 && ch < c) {
    const double var = squares / static_cast<double>(rows);
    const double invstd = 1.0 / sqrt(var + static_cast<double>(eps));
    center[ch] = static_cast<float>(mean[ch]);
    scale[ch] = static_cast<float>(gamma[ch] * invstd);
    save_mean[ch] = center[ch];
    save_invstd[ch] = static_cast<float>(invstd);
    if (running_mean) {
      const double unbiased = squares / static_cast<double>(rows - 1);
      running_mean[ch] = static_cast<float>((1.0 - momentum) * running_mean[ch] + momentum * mean[ch]);
      running_var[ch] = static_cast<float>((1.0 - momentum) * running_var[ch] + momentum * unbiased);
    }
  }
}

__global__ void eval_scale(float* scale, float* invstd, const float* gamma, const float* running_var, int64_t c,
                           float eps) {
  PRUNAS_GRID_STRIDE(ch, c) {
    const double root = sqrt(static_cast<double>(running_var[ch]) + eps);
    scale[ch] = static_cast<float>(gamma[ch] / root);  // as the CPU forward rounds it
    invstd[ch] = static_cast<float>(1.0 / root);
  }
}

// out = a·b elementwise over c (γ·invstd)
__global__ void times(float* out, const float* a, const float* b, int64_t c) {
  PRUNAS_GRID_STRIDE(ch, c) out[ch] = a[ch] * b[ch];
}

// y = act((x − center)·scale + β); y may be x.
template <typename T>
__global__ void normalize_act(T* y, const T* x, const float* center, const float* scale, const float* beta,
                              int64_t rows, int64_t c, Activation act) {
  PRUNAS_GRID_STRIDE(idx, rows * c) {
    const int64_t ch = idx % c;
    y[idx] = from_float<T>(activate((to_float(x[idx]) - center[ch]) * scale[ch] + beta[ch], act));
  }
}

// The activation's upstream gradient dz = dy·act'(z), z recomputed from x.
template <typename T>
__device__ __forceinline__ float pre_activation_grad(const T* dy, const T* x, const float* center,
                                                     const float* scale, const float* beta, int64_t idx, int64_t ch,
                                                     Activation act) {
  if (act == Activation::None) return to_float(dy[idx]);
  const float z = (to_float(x[idx]) - center[ch]) * scale[ch] + beta[ch];
  return activation_grad(to_float(dy[idx]), z, act);
}

// partial[chunk][ch] = Σ dz, partial[chunk][c + ch] = Σ dz·x̂
template <typename T>
__global__ void grad_partials(double* partial, const T* dy, const T* x, const float* mean,
                              const float* invstd, const float* scale, const float* beta, int64_t rows, int64_t c,
                              Chunks split, Activation act) {
  PRUNAS_GRID_STRIDE(idx, split.count * c) {
    const int64_t ch = idx % c, chunk = idx / c;
    const int64_t end = min(rows, (chunk + 1) * split.per_chunk);
    double sum = 0.0, sum_xhat = 0.0;
    for (int64_t r = chunk * split.per_chunk; r < end; ++r) {
      const int64_t i = r * c + ch;
      const double g = pre_activation_grad(dy, x, mean, scale, beta, i, ch, act);
      sum += g;
      sum_xhat += g * ((static_cast<double>(to_float(x[i])) - mean[ch]) * invstd[ch]);
    }
    partial[chunk * 2 * c + ch] = sum;
    partial[chunk * 2 * c + c + ch] = sum_xhat;
  }
}

// partial[chunk][2c] holds Σdz in columns [0, c) and Σdz·x̂ in [c, 2c).
__global__ void __launch_bounds__(1024) finish_grad_sums(float* sums, float* dgamma, float* dbeta,
                                                         const double* partial, int64_t chunks, int64_t c) {
  const int64_t ch = column_of_block();
  const double s = column_total(partial, chunks, 2 * c, ch);
  const double sx = column_total(partial, chunks, 2 * c, ch < c ? c + ch : 2 * c);
  if (threadIdx.y == 0 && ch < c) {
    sums[ch] = static_cast<float>(s);
    sums[c + ch] = static_cast<float>(sx);
    if (dbeta) dbeta[ch] = sums[ch];
    if (dgamma) dgamma[ch] = sums[c + ch];
  }
}

// dx = γ·invstd·(dz − (Σdz + x̂·Σdz·x̂)/rows)
template <typename T>
__global__ void backward_train_dx(T* dx, const T* dy, const T* x, const float* gamma, const float* mean,
                                  const float* invstd, const float* scale, const float* beta, const float* sums,
                                  int64_t rows, int64_t c, Activation act) {
  const float inv_rows = static_cast<float>(1.0 / static_cast<double>(rows));
  PRUNAS_GRID_STRIDE(idx, rows * c) {
    const int64_t ch = idx % c;
    const float g = pre_activation_grad(dy, x, mean, scale, beta, idx, ch, act);
    const float xhat = (to_float(x[idx]) - mean[ch]) * invstd[ch];
    dx[idx] = from_float<T>(gamma[ch] * invstd[ch] * (g - (sums[ch] + xhat * sums[c + ch]) * inv_rows));
  }
}

// dx = dz·γ·invstd with the running statistics
template <typename T>
__global__ void backward_eval_dx(T* dx, const T* dy, const T* x, const float* gamma, const float* mean,
                                 const float* invstd, const float* scale, const float* beta, int64_t rows, int64_t c,
                                 Activation act) {
  PRUNAS_GRID_STRIDE(idx, rows * c) {
    const int64_t ch = idx % c;
    dx[idx] = from_float<T>(pre_activation_grad(dy, x, mean, scale, beta, idx, ch, act) * (gamma[ch] * invstd[ch]));
  }
}

void check_sizes(int64_t rows, int64_t c, int64_t min_rows, float eps) {
  check_range("batchnorm rows", rows, min_rows, std::numeric_limits<int64_t>::max());
  check_range("batchnorm channels", c, 1, std::numeric_limits<int64_t>::max() / rows);
  if (!(eps > 0.0f) || !std::isfinite(eps))
    throw_range("batchnorm eps must be a finite number > 0, got " + std::to_string(eps));
}

// Σdz, Σdz·x̂ into dgamma/dbeta (when given) and into `sums` [2c].
template <typename T>
void grad_sums(DeviceContext& ctx, float* sums, float* dgamma, float* dbeta, const T* dy, const T* x,
               const float* mean, const float* invstd, const float* scale, const float* beta, int64_t rows, int64_t c,
               Activation act) {
  const Chunks split = chunks_for(rows, 2 * c);
  DeviceArray<double> partial(ctx, split.count * 2 * c);
  grad_partials<T><<<grid_for(split.count * c), kThreads, 0, ctx.stream()>>>(partial.data(), dy, x, mean, invstd,
                                                                             scale, beta, rows, c, split, act);
  PRUNAS_CHECK_LAUNCH("batchnorm grad_partials");
  finish_grad_sums<<<column_blocks(c), column_block(), 0, ctx.stream()>>>(sums, dgamma, dbeta, partial.data(),
                                                                          split.count, c);
  PRUNAS_CHECK_LAUNCH("batchnorm finish_grad_sums");
}

template <typename T>
void forward_train(DeviceContext& ctx, T* y, float* save_mean, float* save_invstd,
                   float* running_mean, float* running_var, const T* x, const float* gamma, const float* beta,
                   int64_t rows, int64_t c, float momentum, float eps, Activation act) {
  check_sizes(rows, c, 2, eps);
  if (!(momentum >= 0.0f && momentum <= 1.0f))
    throw_range("batchnorm momentum must be in [0, 1], got " + std::to_string(momentum));
  if ((running_mean == nullptr) != (running_var == nullptr))
    throw_range("batchnorm runningMean and runningVar must be given together");
  const Chunks split = chunks_for(rows, c);
  DeviceArray<double> partial(ctx, split.count * c), mean(ctx, c);
  DeviceArray<float> center(ctx, c), scale(ctx, c);
  const unsigned grid = grid_for(split.count * c);
  channel_partials<T><<<grid, kThreads, 0, ctx.stream()>>>(partial.data(), x, nullptr, rows, c, split, false);
  PRUNAS_CHECK_LAUNCH("batchnorm channel_partials (sum)");
  mean_of<<<column_blocks(c), column_block(), 0, ctx.stream()>>>(mean.data(), partial.data(), split.count, rows, c);
  PRUNAS_CHECK_LAUNCH("batchnorm mean_of");
  channel_partials<T><<<grid, kThreads, 0, ctx.stream()>>>(partial.data(), x, mean.data(), rows, c, split, true);
  PRUNAS_CHECK_LAUNCH("batchnorm channel_partials (squares)");
  finish_statistics<<<column_blocks(c), column_block(), 0, ctx.stream()>>>(
      save_mean, save_invstd, running_mean, running_var, center.data(), scale.data(), mean.data(), partial.data(),
      gamma, split.count, rows, c, momentum, eps);
  PRUNAS_CHECK_LAUNCH("batchnorm finish_statistics");
  normalize_act<T><<<grid_for(rows * c), kThreads, 0, ctx.stream()>>>(y, x, center.data(), scale.data(), beta, rows,
                                                                      c, act);
  PRUNAS_CHECK_LAUNCH("batchnorm normalize_act");
}

template <typename T>
void forward_eval(DeviceContext& ctx, T* y, const T* x, const float* gamma, const float* beta,
                  const float* running_mean, const float* running_var, int64_t rows, int64_t c, float eps,
                  Activation act) {
  check_sizes(rows, c, 1, eps);
  DeviceArray<float> scale(ctx, c), invstd(ctx, c);
  eval_scale<<<grid_for(c), kThreads, 0, ctx.stream()>>>(scale.data(), invstd.data(), gamma, running_var, c, eps);
  PRUNAS_CHECK_LAUNCH("batchnorm eval_scale");
  normalize_act<T><<<grid_for(rows * c), kThreads, 0, ctx.stream()>>>(y, x, running_mean, scale.data(), beta, rows,
                                                                      c, act);
  PRUNAS_CHECK_LAUNCH("batchnorm normalize_act");
}

template <typename T>
void backward_train(DeviceContext& ctx, T* dx, float* dgamma, float* dbeta, const T* dy, const T* x,
                    const float* gamma, const float* beta, const float* mean, const float* invstd, int64_t rows,
                    int64_t c, Activation act) {
  check_sizes(rows, c, 1, 1.0f);
  DeviceArray<float> scale(ctx, c), sums(ctx, 2 * c);
  times<<<grid_for(c), kThreads, 0, ctx.stream()>>>(scale.data(), gamma, invstd, c);
  PRUNAS_CHECK_LAUNCH("batchnorm times");
  grad_sums(ctx, sums.data(), dgamma, dbeta, dy, x, mean, invstd, scale.data(), beta, rows, c, act);
  if (!dx) return;
  backward_train_dx<T><<<grid_for(rows * c), kThreads, 0, ctx.stream()>>>(
      dx, dy, x, gamma, mean, invstd, scale.data(), beta, sums.data(), rows, c, act);
  PRUNAS_CHECK_LAUNCH("batchnorm backward_train_dx");
}

template <typename T>
void backward_eval(DeviceContext& ctx, T* dx, float* dgamma, float* dbeta, const T* dy, const T* x,
                   const float* gamma, const float* beta, const float* running_mean, const float* running_var,
                   int64_t rows, int64_t c, float eps, Activation act) {
  check_sizes(rows, c, 1, eps);
  DeviceArray<float> scale(ctx, c), invstd(ctx, c), sums(ctx, 2 * c);
  eval_scale<<<grid_for(c), kThreads, 0, ctx.stream()>>>(scale.data(), invstd.data(), gamma, running_var, c, eps);
  PRUNAS_CHECK_LAUNCH("batchnorm eval_scale");
  if (dgamma || dbeta)
    grad_sums(ctx, sums.data(), dgamma, dbeta, dy, x, running_mean, invstd.data(), scale.data(), beta, rows, c, act);
  if (!dx) return;
  backward_eval_dx<T><<<grid_for(rows * c), kThreads, 0, ctx.stream()>>>(
      dx, dy, x, gamma, running_mean, invstd.data(), scale.data(), beta, rows, c, act);
  PRUNAS_CHECK_LAUNCH("batchnorm backward_eval_dx");
}

}  // namespace

void batchnorm_act_forward_train(DeviceContext& ctx, float* y, float* save_mean, float* save_invstd,
                                 float* running_mean, float* running_var, const float* x, const float* gamma,
                                 const float* beta, int64_t rows, int64_t c, float momentum, float eps,
                                 Activation act) {
  forward_train(ctx, y, save_mean, save_invstd, running_mean, running_var, x, gamma, beta, rows, c, momentum, eps, act);
}
void batchnorm_act_forward_train(DeviceContext& ctx, bf16* y, float* save_mean, float* save_invstd,
                                 float* running_mean, float* running_var, const bf16* x, const float* gamma,
                                 const float* beta, int64_t rows, int64_t c, float momentum, float eps,
                                 Activation act) {
  forward_train(ctx, y, save_mean, save_invstd, running_mean, running_var, x, gamma, beta, rows, c, momentum, eps, act);
}

void batchnorm_act_forward_eval(DeviceContext& ctx, float* y, const float* x, const float* gamma, const float* beta,
                                const float* running_mean, const float* running_var, int64_t rows, int64_t c,
                                float eps, Activation act) {
  forward_eval(ctx, y, x, gamma, beta, running_mean, running_var, rows, c, eps, act);
}
void batchnorm_act_forward_eval(DeviceContext& ctx, bf16* y, const bf16* x, const float* gamma, const float* beta,
                                const float* running_mean, const float* running_var, int64_t rows, int64_t c,
                                float eps, Activation act) {
  forward_eval(ctx, y, x, gamma, beta, running_mean, running_var, rows, c, eps, act);
}

void batchnorm_act_backward_train(DeviceContext& ctx, float* dx, float* dgamma, float* dbeta, const float* dy,
                                  const float* x, const float* gamma, const float* beta, const float* mean,
                                  const float* invstd, int64_t rows, int64_t c, Activation act) {
  backward_train(ctx, dx, dgamma, dbeta, dy, x, gamma, beta, mean, invstd, rows, c, act);
}
void batchnorm_act_backward_train(DeviceContext& ctx, bf16* dx, float* dgamma, float* dbeta, const bf16* dy,
                                  const bf16* x, const float* gamma, const float* beta, const float* mean,
                                  const float* invstd, int64_t rows, int64_t c, Activation act) {
  backward_train(ctx, dx, dgamma, dbeta, dy, x, gamma, beta, mean, invstd, rows, c, act);
}

void batchnorm_act_backward_eval(DeviceContext& ctx, float* dx, float* dgamma, float* dbeta, const float* dy,
                                 const float* x, const float* gamma, const float* beta, const float* running_mean,
                                 const float* running_var, int64_t rows, int64_t c, float eps, Activation act) {
  backward_eval(ctx, dx, dgamma, dbeta, dy, x, gamma, beta, running_mean, running_var, rows, c, eps, act);
}
void batchnorm_act_backward_eval(DeviceContext& ctx, bf16* dx, float* dgamma, float* dbeta, const bf16* dy,
                                 const bf16* x, const float* gamma, const float* beta, const float* running_mean,
                                 const float* running_var, int64_t rows, int64_t c, float eps, Activation act) {
  backward_eval(ctx, dx, dgamma, dbeta, dy, x, gamma, beta, running_mean, running_var, rows, c, eps, act);
}

}  // namespace prunas::cuda
