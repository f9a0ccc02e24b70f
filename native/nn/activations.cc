#include "nn/activations.h"

#include <algorithm>
#include <vector>

#include "core/thread_pool.h"

namespace prunas::nn {

namespace {
constexpr int64_t kDotBlock = 4096;
constexpr int64_t kElementwiseChunk = 16384;
}  // namespace

double dot(const float* a, const float* b, int64_t n) {
  const int64_t blocks = (n + kDotBlock - 1) / kDotBlock;
  std::vector<double> partial(static_cast<size_t>(blocks), 0.0);
  parallel_for(blocks, [&](int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; ++k) {
      const int64_t lo = k * kDotBlock, hi = std::min(n, lo + kDotBlock);
      double s = 0.0;
      for (int64_t i = lo; i < hi; ++i) s += static_cast<double>(a[i]) * b[i];
      partial[k] = s;
    }
  }, 4);
  double total = 0.0;
  for (double s : partial) total += s;
  return total;
}

void axpy(float* y, float alpha, const float* x, int64_t n) {
  parallel_for(n, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) y[i] += alpha * x[i];
  }, kElementwiseChunk);
}

void scale(float* y, float alpha, const float* x, int64_t n) {
  parallel_for(n, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) y[i] = alpha * x[i];
  }, kElementwiseChunk);
}

}  // namespace prunas::nn
