#include "cpu/loss.h"

#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"

namespace prunas::cpu {

double softmax_cross_entropy(float* dlogits, int64_t* correct, const float* logits, const int32_t* labels, int64_t n,
                             int64_t k, float smoothing) {
  for (int64_t i = 0; i < n; ++i)
    if (labels[i] < 0 || labels[i] >= k)
      throw_range("labels[" + std::to_string(i) + "] = " + std::to_string(labels[i]) + " is outside [0, " +
                  std::to_string(k) + ")");
  std::vector<double> row_loss(n);
  std::vector<uint8_t> row_correct(n);
  parallel_for(n, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const float* z = logits + i * k;
      int64_t argmax = 0;
      for (int64_t j = 1; j < k; ++j)
        if (z[j] > z[argmax]) argmax = j;
      const double zmax = z[argmax];
      double sum_exp = 0.0, sum_z = 0.0;
      for (int64_t j = 0; j < k; ++j) {
        sum_exp += std::exp(z[j] - zmax);
        sum_z += z[j];
      }
      const double log_sum = zmax + std::log(sum_exp);
      // −Σ_j q_j log p_j with q = (1 − ε)·onehot + ε/K
      row_loss[i] = (1.0 - smoothing) * (log_sum - z[labels[i]]) + smoothing * (log_sum - sum_z / k);
      row_correct[i] = argmax == labels[i];
      if (dlogits) {
        float* g = dlogits + i * k;
        for (int64_t j = 0; j < k; ++j) {
          const double target = (j == labels[i] ? 1.0 - smoothing : 0.0) + smoothing / k;
          g[j] = static_cast<float>((std::exp(z[j] - log_sum) - target) / n);
        }
      }
    }
  }, 16);
  double loss = 0.0;
  int64_t hits = 0;
  for (int64_t i = 0; i < n; ++i) {
    loss += row_loss[i];
    hits += row_correct[i];
  }
  if (correct) *correct = hits;
  return loss / n;
}

double mse_loss(float* da, const float* a, const float* b, int64_t n) {
  const int chunks = cpu_threads();
  std::vector<double> partial(chunks, 0.0);
  const int used = parallel_chunks(n, [&](int chunk, int64_t lo, int64_t hi) {
    double s = 0.0;
    for (int64_t i = lo; i < hi; ++i) {
      const double d = static_cast<double>(a[i]) - b[i];
      s += d * d;
      if (da) da[i] = static_cast<float>(2.0 * d / n);
    }
    partial[chunk] = s;
  }, 4096);
  double total = 0.0;
  for (int c = 0; c < used; ++c) total += partial[c];
  return total / n;
}

}  // namespace prunas::cpu
