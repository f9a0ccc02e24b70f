#include "cpu/loss.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"

namespace prunas::cpu {

double softmax_cross_entropy(float* dlogits, int64_t* correct, const float* logits, const int32_t* labels, int64_t n,
                             int64_t k, double smoothing) {
  check_range("softmax cross-entropy n", n, 1, std::numeric_limits<int64_t>::max());
  check_range("softmax cross-entropy k", k, 1, std::numeric_limits<int32_t>::max());
  check_range("softmax cross-entropy n·k", n, 1, std::numeric_limits<int64_t>::max() / k);
  if (!(smoothing >= 0.0 && smoothing <= 1.0))
    throw_range("softmax cross-entropy smoothing must be in [0, 1], got " + std::to_string(smoothing));
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
      const int32_t label = labels[i];
      // −Σ_j q_j·log p_j with q = (1 − ε)·onehot + ε/k and log p_j = z_j − log_sum
      row_loss[i] = (1.0 - smoothing) * (log_sum - z[label]) + smoothing * (log_sum - sum_z / k);
      row_correct[i] = argmax == label;
      if (dlogits) {
        float* g = dlogits + i * k;
        for (int64_t j = 0; j < k; ++j) {
          const double target = (j == label ? 1.0 - smoothing : 0.0) + smoothing / k;
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
  check_range("mse n", n, 1, std::numeric_limits<int64_t>::max());
  // Fixed blocks, a function of n only, keep the sum independent of threads.
  constexpr int64_t kMinBlock = 4096, kMaxBlocks = 256;
  const int64_t blocks = std::min((n + kMinBlock - 1) / kMinBlock, kMaxBlocks);
  const int64_t per_block = (n + blocks - 1) / blocks;
  const double scale = 2.0 / static_cast<double>(n);
  std::vector<double> partial(static_cast<size_t>(blocks), 0.0);
  parallel_for(blocks, [&](int64_t lo, int64_t hi) {
    for (int64_t block = lo; block < hi; ++block) {
      double s = 0.0;
      const int64_t end = std::min(n, (block + 1) * per_block);
      for (int64_t i = block * per_block; i < end; ++i) {
        const double d = static_cast<double>(a[i]) - b[i];
        s += d * d;
        if (da) da[i] = static_cast<float>(scale * d);
      }
      partial[block] = s;
    }
  });
  double total = 0.0;
  for (double s : partial) total += s;
  return total / static_cast<double>(n);
}

}  // namespace prunas::cpu
