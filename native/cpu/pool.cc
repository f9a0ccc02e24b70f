#include "cpu/pool.h"

#include "core/thread_pool.h"

namespace prunas::cpu {

void global_avg_pool_forward(float* y, const float* x, int64_t n, int64_t hw, int64_t c) {
  parallel_for(n, [&](int64_t b, int64_t e) {
    for (int64_t img = b; img < e; ++img) {
      float* out = y + img * c;
      for (int64_t ch = 0; ch < c; ++ch) out[ch] = 0.0f;
      for (int64_t p = 0; p < hw; ++p)
        for (int64_t ch = 0; ch < c; ++ch) out[ch] += x[(img * hw + p) * c + ch];
      const float inv = 1.0f / static_cast<float>(hw);
      for (int64_t ch = 0; ch < c; ++ch) out[ch] *= inv;
    }
  });
}

void global_avg_pool_backward(float* dx, const float* dy, int64_t n, int64_t hw, int64_t c) {
  const float inv = 1.0f / static_cast<float>(hw);
  parallel_for(n * hw, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const float* g = dy + (r / hw) * c;
      for (int64_t ch = 0; ch < c; ++ch) dx[r * c + ch] = g[ch] * inv;
    }
  }, 64);
}

}  // namespace prunas::cpu
