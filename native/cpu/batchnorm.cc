#include "cpu/batchnorm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/activation.h"

namespace prunas::cpu {

namespace {

constexpr int64_t kMaxSize = std::numeric_limits<int64_t>::max();

void check_shape(int64_t rows, int64_t c, int64_t min_rows) {
  check_range("batchnorm rows", rows, min_rows, kMaxSize);
  check_range("batchnorm channels", c, 1, kMaxSize / rows);
}

void check_eps(float eps) {
  if (!(eps > 0.0f) || !std::isfinite(eps))
    throw_range("batchnorm eps must be a finite number > 0, got " + std::to_string(eps));
}

// Enough blocks to keep every thread busy, few enough that the partials
// (blocks × width doubles) stay small. Depends on the shape only.
int64_t block_count(int64_t rows, int64_t width) {
  constexpr int64_t kMinRowsPerBlock = 64, kMaxBlocks = 64, kMaxPartials = int64_t{1} << 21;
  return std::max<int64_t>(1, std::min({(rows + kMinRowsPerBlock - 1) / kMinRowsPerBlock, kMaxBlocks,
                                        kMaxPartials / width}));
}

// width sums over all rows, accumulate(acc, row) adding one row into acc.
template <typename Accumulate>
std::vector<double> channel_sums(int64_t rows, int64_t width, const Accumulate& accumulate) {
  const int64_t blocks = block_count(rows, width);
  const int64_t per_block = (rows + blocks - 1) / blocks;
  std::vector<double> partial(static_cast<size_t>(blocks * width), 0.0);
  parallel_for(blocks, [&](int64_t b, int64_t e) {
    for (int64_t block = b; block < e; ++block) {
      double* acc = partial.data() + block * width;
      const int64_t end = std::min(rows, (block + 1) * per_block);
      for (int64_t r = block * per_block; r < end; ++r) accumulate(acc, r);
    }
  });
  std::vector<double> sums(static_cast<size_t>(width), 0.0);
  for (int64_t block = 0; block < blocks; ++block)
    for (int64_t i = 0; i < width; ++i) sums[i] += partial[block * width + i];
  return sums;
}

// The activation after the BN and its gradient (cpu/activation.cc's rules).
template <BnAct A>
inline float activate(float v) {
  if constexpr (A == BnAct::Relu) return v > 0.0f ? v : 0.0f;
  if constexpr (A == BnAct::Relu6) return std::min(std::max(v, 0.0f), 6.0f);
  if constexpr (A == BnAct::Hswish) return v * std::min(std::max(v + 3.0f, 0.0f), 6.0f) * (1.0f / 6.0f);
  return v;
}
// dy·act'(v) for the activation's input v.
template <BnAct A>
inline float activation_grad(float v, float dy) {
  if constexpr (A == BnAct::Relu) return relu_grad(v, dy);
  if constexpr (A == BnAct::Relu6) return relu6_grad(v, dy);
  if constexpr (A == BnAct::Hswish) return hswish_grad(v, dy);
  return dy;
}

// body(std::integral_constant<BnAct, act>) with the activation as a compile-time constant.
template <typename Body>
void with_act(BnAct act, const Body& body) {
  switch (act) {
    case BnAct::None: return body(std::integral_constant<BnAct, BnAct::None>{});
    case BnAct::Relu: return body(std::integral_constant<BnAct, BnAct::Relu>{});
    case BnAct::Relu6: return body(std::integral_constant<BnAct, BnAct::Relu6>{});
    case BnAct::Hswish: return body(std::integral_constant<BnAct, BnAct::Hswish>{});
  }
}

// y = act((x − center[ch])·scale[ch] + beta[ch]); y may be x.
void normalize(float* y, const float* x, const std::vector<float>& center, const std::vector<float>& scale,
               const float* beta, int64_t rows, int64_t c, BnAct act) {
  with_act(act, [&](auto a) {
    constexpr BnAct A = decltype(a)::value;
    parallel_for(rows, [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r)
        for (int64_t ch = 0; ch < c; ++ch)
          y[r * c + ch] = activate<A>((x[r * c + ch] - center[ch]) * scale[ch] + beta[ch]);
    }, 64);
  });
}

struct GradSums {
  std::vector<float> dy;       // Σ dy
  std::vector<float> dy_xhat;  // Σ dy·x̂
};

// x̂ = (x − mean)·invstd; writes dβ = Σ g and dγ = Σ g·x̂ where asked, for
// the gradient g(i, ch) at flat index i = r·c + ch (dy, or dy through the activation).
template <typename Grad>
GradSums grad_sums(float* dgamma, float* dbeta, const Grad& grad, const float* x, const float* mean,
                   const float* invstd, int64_t rows, int64_t c) {
  const std::vector<double> sums = channel_sums(rows, 2 * c, [&](double* acc, int64_t r) {
    for (int64_t ch = 0; ch < c; ++ch) {
      const double g = grad(r * c + ch, ch);
      acc[ch] += g;
      acc[c + ch] += g * ((static_cast<double>(x[r * c + ch]) - mean[ch]) * invstd[ch]);
    }
  });
  GradSums s{std::vector<float>(c), std::vector<float>(c)};
  for (int64_t ch = 0; ch < c; ++ch) {
    s.dy[ch] = static_cast<float>(sums[ch]);
    s.dy_xhat[ch] = static_cast<float>(sums[c + ch]);
    if (dbeta) dbeta[ch] = s.dy[ch];
    if (dgamma) dgamma[ch] = s.dy_xhat[ch];
  }
  return s;
}

// dx = γ·invstd · (g − (Σg + x̂·Σg·x̂)/rows)
template <typename Grad>
void backward_train(float* dx, float* dgamma, float* dbeta, const Grad& grad, const float* x, const float* gamma,
                    const float* save_mean, const float* save_invstd, int64_t rows, int64_t c) {
  const GradSums s = grad_sums(dgamma, dbeta, grad, x, save_mean, save_invstd, rows, c);
  if (!dx) return;
  const float inv_rows = static_cast<float>(1.0 / static_cast<double>(rows));
  parallel_for(rows, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r)
      for (int64_t ch = 0; ch < c; ++ch) {
        const float xhat = (x[r * c + ch] - save_mean[ch]) * save_invstd[ch];
        dx[r * c + ch] =
            gamma[ch] * save_invstd[ch] * (grad(r * c + ch, ch) - (s.dy[ch] + xhat * s.dy_xhat[ch]) * inv_rows);
      }
  }, 64);
}

// dx = g·γ/sqrt(running_var + eps)
template <typename Grad>
void backward_eval(float* dx, float* dgamma, float* dbeta, const Grad& grad, const float* x, const float* gamma,
                   const float* running_mean, const float* running_var, int64_t rows, int64_t c, float eps) {
  std::vector<float> invstd(c);
  for (int64_t ch = 0; ch < c; ++ch)
    invstd[ch] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(running_var[ch]) + eps));
  if (dgamma || dbeta) grad_sums(dgamma, dbeta, grad, x, running_mean, invstd.data(), rows, c);
  if (!dx) return;
  parallel_for(rows, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r)
      for (int64_t ch = 0; ch < c; ++ch) dx[r * c + ch] = grad(r * c + ch, ch) * (gamma[ch] * invstd[ch]);
  }, 64);
}

}  // namespace

void batchnorm_forward_train(float* y, float* save_mean, float* save_invstd, float* running_mean,
                             float* running_var, const float* x, const float* gamma, const float* beta,
                             int64_t rows, int64_t c, float momentum, float eps, BnAct act) {
  check_shape(rows, c, 2);
  check_eps(eps);
  if (!(momentum >= 0.0f && momentum <= 1.0f))
    throw_range("batchnorm momentum must be in [0, 1], got " + std::to_string(momentum));
  if ((running_mean == nullptr) != (running_var == nullptr))
    throw_range("batchnorm runningMean and runningVar must be given together");

  const std::vector<double> sum = channel_sums(rows, c, [&](double* acc, int64_t r) {
    for (int64_t ch = 0; ch < c; ++ch) acc[ch] += x[r * c + ch];
  });
  std::vector<double> mean(c);
  for (int64_t ch = 0; ch < c; ++ch) mean[ch] = sum[ch] / static_cast<double>(rows);
  // Second pass over the deviations: no cancellation when |mean| >> std.
  const std::vector<double> squares = channel_sums(rows, c, [&](double* acc, int64_t r) {
    for (int64_t ch = 0; ch < c; ++ch) {
      const double d = x[r * c + ch] - mean[ch];
      acc[ch] += d * d;
    }
  });

  std::vector<float> center(c), scale(c);
  for (int64_t ch = 0; ch < c; ++ch) {
    const double var = squares[ch] / static_cast<double>(rows);
    const double invstd = 1.0 / std::sqrt(var + eps);
    center[ch] = static_cast<float>(mean[ch]);
    scale[ch] = static_cast<float>(gamma[ch] * invstd);
    save_mean[ch] = center[ch];
    save_invstd[ch] = static_cast<float>(invstd);
    if (running_mean) {
      const double unbiased = squares[ch] / static_cast<double>(rows - 1);
      running_mean[ch] = static_cast<float>((1.0 - momentum) * running_mean[ch] + momentum * mean[ch]);
      running_var[ch] = static_cast<float>((1.0 - momentum) * running_var[ch] + momentum * unbiased);
    }
  }
  normalize(y, x, center, scale, beta, rows, c, act);
}

void batchnorm_forward_eval(float* y, const float* x, const float* gamma, const float* beta,
                            const float* running_mean, const float* running_var, int64_t rows, int64_t c,
                            float eps, BnAct act) {
  check_shape(rows, c, 1);
  check_eps(eps);
  std::vector<float> center(running_mean, running_mean + c), scale(c);
  for (int64_t ch = 0; ch < c; ++ch)
    scale[ch] = static_cast<float>(gamma[ch] / std::sqrt(static_cast<double>(running_var[ch]) + eps));
  normalize(y, x, center, scale, beta, rows, c, act);
}

void batchnorm_backward_train(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                              const float* gamma, const float* save_mean, const float* save_invstd, int64_t rows,
                              int64_t c) {
  check_shape(rows, c, 1);
  backward_train(dx, dgamma, dbeta, [dy](int64_t i, int64_t) { return dy[i]; }, x, gamma, save_mean, save_invstd,
                 rows, c);
}

void batchnorm_backward_eval(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                             const float* gamma, const float* running_mean, const float* running_var, int64_t rows,
                             int64_t c, float eps) {
  check_shape(rows, c, 1);
  check_eps(eps);
  backward_eval(dx, dgamma, dbeta, [dy](int64_t i, int64_t) { return dy[i]; }, x, gamma, running_mean, running_var,
                rows, c, eps);
}

void batchnorm_act_backward_train(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                                  const float* gamma, const float* beta, const float* save_mean,
                                  const float* save_invstd, int64_t rows, int64_t c, BnAct act) {
  check_shape(rows, c, 1);
  std::vector<float> scale(static_cast<size_t>(c));
  for (int64_t ch = 0; ch < c; ++ch) scale[ch] = static_cast<float>(static_cast<double>(gamma[ch]) * save_invstd[ch]);
  with_act(act, [&](auto a) {
    constexpr BnAct A = decltype(a)::value;
    const float* s = scale.data();
    const auto grad = [=](int64_t i, int64_t ch) {
      return activation_grad<A>((x[i] - save_mean[ch]) * s[ch] + beta[ch], dy[i]);
    };
    backward_train(dx, dgamma, dbeta, grad, x, gamma, save_mean, save_invstd, rows, c);
  });
}

void batchnorm_act_backward_eval(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                                 const float* gamma, const float* beta, const float* running_mean,
                                 const float* running_var, int64_t rows, int64_t c, float eps, BnAct act) {
  check_shape(rows, c, 1);
  check_eps(eps);
  std::vector<float> scale(static_cast<size_t>(c));
  for (int64_t ch = 0; ch < c; ++ch)  // the forward's rounding
    scale[ch] = static_cast<float>(gamma[ch] / std::sqrt(static_cast<double>(running_var[ch]) + eps));
  with_act(act, [&](auto a) {
    constexpr BnAct A = decltype(a)::value;
    const float* s = scale.data();
    const auto grad = [=](int64_t i, int64_t ch) {
      return activation_grad<A>((x[i] - running_mean[ch]) * s[ch] + beta[ch], dy[i]);
    };
    backward_eval(dx, dgamma, dbeta, grad, x, gamma, running_mean, running_var, rows, c, eps);
  });
}

}  // namespace prunas::cpu
