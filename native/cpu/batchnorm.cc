#include "cpu/batchnorm.h"

#include <cmath>
#include <functional>
#include <vector>

#include "core/thread_pool.h"

namespace prunas::cpu {

namespace {

// Per-channel sums of f(row, channel) over all rows in double: per-chunk
// partials combined in chunk order (deterministic at a given thread count).
// `sums` holds `count` arrays of c channels each.
void channel_sums(std::vector<double>& sums, int count, int64_t rows, int64_t c,
                  const std::function<void(double* acc, int64_t row)>& accumulate) {
  const int chunks = cpu_threads();
  const int64_t width = count * c;
  std::vector<double> partial(static_cast<size_t>(chunks * width), 0.0);
  const int used = parallel_chunks(rows, [&](int chunk, int64_t b, int64_t e) {
    double* acc = partial.data() + chunk * width;
    for (int64_t r = b; r < e; ++r) accumulate(acc, r);
  }, 64);
  sums.assign(static_cast<size_t>(width), 0.0);
  for (int k = 0; k < used; ++k)
    for (int64_t i = 0; i < width; ++i) sums[i] += partial[k * width + i];
}

// y = x·scale[ch] + shift[ch]
void affine(float* y, const float* x, const std::vector<float>& scale, const std::vector<float>& shift, int64_t rows,
            int64_t c) {
  parallel_for(rows, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r)
      for (int64_t ch = 0; ch < c; ++ch) y[r * c + ch] = x[r * c + ch] * scale[ch] + shift[ch];
  }, 64);
}

}  // namespace

void batchnorm_forward_train(float* y, float* save_mean, float* save_invstd, float* running_mean,
                             float* running_var, const float* x, const float* gamma, const float* beta,
                             int64_t rows, int64_t c, float momentum, float eps) {
  std::vector<double> sums;
  channel_sums(sums, 1, rows, c, [&](double* acc, int64_t r) {
    for (int64_t ch = 0; ch < c; ++ch) acc[ch] += x[r * c + ch];
  });
  std::vector<double> mean(c);
  for (int64_t ch = 0; ch < c; ++ch) mean[ch] = sums[ch] / rows;
  channel_sums(sums, 1, rows, c, [&](double* acc, int64_t r) {
    for (int64_t ch = 0; ch < c; ++ch) {
      const double d = x[r * c + ch] - mean[ch];
      acc[ch] += d * d;
    }
  });
  std::vector<float> scale(c), shift(c);
  for (int64_t ch = 0; ch < c; ++ch) {
    const double var = sums[ch] / rows;
    const double invstd = 1.0 / std::sqrt(var + eps);
    save_mean[ch] = static_cast<float>(mean[ch]);
    save_invstd[ch] = static_cast<float>(invstd);
    scale[ch] = static_cast<float>(gamma[ch] * invstd);
    shift[ch] = static_cast<float>(beta[ch] - mean[ch] * gamma[ch] * invstd);
    if (running_mean && running_var) {
      const double unbiased = rows > 1 ? sums[ch] / (rows - 1) : var;
      running_mean[ch] = static_cast<float>((1.0 - momentum) * running_mean[ch] + momentum * mean[ch]);
      running_var[ch] = static_cast<float>((1.0 - momentum) * running_var[ch] + momentum * unbiased);
    }
  }
  affine(y, x, scale, shift, rows, c);
}

void batchnorm_forward_eval(float* y, const float* x, const float* gamma, const float* beta,
                            const float* running_mean, const float* running_var, int64_t rows, int64_t c,
                            float eps) {
  std::vector<float> scale(c), shift(c);
  for (int64_t ch = 0; ch < c; ++ch) {
    const double invstd = 1.0 / std::sqrt(static_cast<double>(running_var[ch]) + eps);
    scale[ch] = static_cast<float>(gamma[ch] * invstd);
    shift[ch] = static_cast<float>(beta[ch] - running_mean[ch] * gamma[ch] * invstd);
  }
  affine(y, x, scale, shift, rows, c);
}

// With x̂ = (x − μ)·invstd: dβ = Σ dy, dγ = Σ dy·x̂,
// dx = γ·invstd/M · (M·dy − dβ − x̂·dγ).
void batchnorm_backward_train(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                              const float* gamma, const float* save_mean, const float* save_invstd, int64_t rows,
                              int64_t c) {
  std::vector<double> sums;
  channel_sums(sums, 2, rows, c, [&](double* acc, int64_t r) {
    for (int64_t ch = 0; ch < c; ++ch) {
      const double g = dy[r * c + ch];
      acc[ch] += g;
      acc[c + ch] += g * (x[r * c + ch] - save_mean[ch]) * save_invstd[ch];
    }
  });
  std::vector<float> sum_dy(c), sum_dy_xhat(c);
  for (int64_t ch = 0; ch < c; ++ch) {
    sum_dy[ch] = static_cast<float>(sums[ch]);
    sum_dy_xhat[ch] = static_cast<float>(sums[c + ch]);
    if (dbeta) dbeta[ch] = sum_dy[ch];
    if (dgamma) dgamma[ch] = sum_dy_xhat[ch];
  }
  if (!dx) return;
  const float inv_rows = 1.0f / static_cast<float>(rows);
  parallel_for(rows, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r)
      for (int64_t ch = 0; ch < c; ++ch) {
        const float xhat = (x[r * c + ch] - save_mean[ch]) * save_invstd[ch];
        dx[r * c + ch] = gamma[ch] * save_invstd[ch] *
                         (dy[r * c + ch] - (sum_dy[ch] + xhat * sum_dy_xhat[ch]) * inv_rows);
      }
  }, 64);
}

void batchnorm_backward_eval(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                             const float* gamma, const float* running_mean, const float* running_var, int64_t rows,
                             int64_t c, float eps) {
  std::vector<float> invstd(c);
  for (int64_t ch = 0; ch < c; ++ch) invstd[ch] = static_cast<float>(1.0 / std::sqrt(running_var[ch] + (double)eps));
  if (dgamma || dbeta) {
    std::vector<double> sums;
    channel_sums(sums, 2, rows, c, [&](double* acc, int64_t r) {
      for (int64_t ch = 0; ch < c; ++ch) {
        const double g = dy[r * c + ch];
        acc[ch] += g;
        acc[c + ch] += g * (x[r * c + ch] - running_mean[ch]) * invstd[ch];
      }
    });
    for (int64_t ch = 0; ch < c; ++ch) {
      if (dbeta) dbeta[ch] = static_cast<float>(sums[ch]);
      if (dgamma) dgamma[ch] = static_cast<float>(sums[c + ch]);
    }
  }
  if (!dx) return;
  parallel_for(rows, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r)
      for (int64_t ch = 0; ch < c; ++ch) dx[r * c + ch] = dy[r * c + ch] * gamma[ch] * invstd[ch];
  }, 64);
}

}  // namespace prunas::cpu
