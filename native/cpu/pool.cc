#include "cpu/pool.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"

namespace prunas::cpu {

namespace {

void check_shape(int64_t n, int64_t hw, int64_t c) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  check_range("global average pool n", n, 1, kMax);
  check_range("global average pool hw", hw, 1, kMax / n);
  check_range("global average pool c", c, 1, kMax / (n * hw));
}

}  // namespace

void global_avg_pool_forward(float* y, const float* x, int64_t n, int64_t hw, int64_t c) {
  check_shape(n, hw, c);
  const double inv = 1.0 / static_cast<double>(hw);
  parallel_for(n, [&](int64_t b, int64_t e) {
    std::vector<double> acc(static_cast<size_t>(c));
    for (int64_t img = b; img < e; ++img) {
      std::fill(acc.begin(), acc.end(), 0.0);
      const float* in = x + img * hw * c;
      for (int64_t p = 0; p < hw; ++p)
        for (int64_t ch = 0; ch < c; ++ch) acc[ch] += in[p * c + ch];
      for (int64_t ch = 0; ch < c; ++ch) y[img * c + ch] = static_cast<float>(acc[ch] * inv);
    }
  });
}

void global_avg_pool_backward(float* dx, const float* dy, int64_t n, int64_t hw, int64_t c) {
  check_shape(n, hw, c);
  const float inv = static_cast<float>(1.0 / static_cast<double>(hw));
  parallel_for(n * hw, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const float* g = dy + (r / hw) * c;
      for (int64_t ch = 0; ch < c; ++ch) dx[r * c + ch] = g[ch] * inv;
    }
  }, 64);
}

}  // namespace prunas::cpu
