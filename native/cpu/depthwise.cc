// Depthwise convolution, forward and backward. The loops live in
// depthwise_impl.h, compiled here portably and in depthwise_avx2.cc with
// AVX2+FMA; the CPU picks at run time.
#include "cpu/depthwise.h"

#include <cstring>
#include <string>
#include <vector>

#include "core/cpu_features.h"
#include "core/error.h"
#include "core/thread_pool.h"

namespace prunas::cpu {

namespace portable {
#include "cpu/depthwise_impl.h"
}  // namespace portable

namespace avx2 {
void depthwise_forward(float* y, const float* x, const float* w, const float* bias, const DepthwiseShape& s,
                       int64_t b, int64_t e);
void depthwise_backward_input(float* dx, const float* dy, const float* w, const DepthwiseShape& s, int64_t b,
                              int64_t e);
void depthwise_backward_weight(float* dw, float* db, const float* dy, const float* x, const DepthwiseShape& s,
                               int64_t b, int64_t e);
}  // namespace avx2

void check_depthwise_shape(const DepthwiseShape& s) {
  check_range("n", s.n, 1, 1 << 24);
  check_range("h", s.h, 1, 1 << 16);
  check_range("w", s.w, 1, 1 << 16);
  check_range("c", s.c, 1, 1 << 16);
  check_range("kh", s.kh, 1, 7);
  check_range("kw", s.kw, 1, 7);
  check_range("strideH", s.sh, 1, 2);
  check_range("strideW", s.sw, 1, 2);
  check_range("padH", s.ph, 0, s.kh - 1);
  check_range("padW", s.pw, 0, s.kw - 1);
  if (s.h + 2 * s.ph < s.kh || s.w + 2 * s.pw < s.kw)
    throw_range("input " + std::to_string(s.h) + "×" + std::to_string(s.w) + " is smaller than the kernel " +
                std::to_string(s.kh) + "×" + std::to_string(s.kw) + " after padding");
}

void depthwise_forward(float* y, const float* x, const float* w, const float* bias, const DepthwiseShape& s) {
  const bool vector = cpu_features().avx2_fma;
  parallel_for(s.n * s.ho(), [&](int64_t b, int64_t e) {
    if (vector)
      avx2::depthwise_forward(y, x, w, bias, s, b, e);
    else
      portable::depthwise_forward_rows(y, x, w, bias, s, b, e);
  });
}

void depthwise_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w,
                        const DepthwiseShape& s) {
  const bool vector = cpu_features().avx2_fma;
  if (dx)
    parallel_for(s.n * s.h, [&](int64_t b, int64_t e) {
      if (vector)
        avx2::depthwise_backward_input(dx, dy, w, s, b, e);
      else
        portable::depthwise_backward_input_rows(dx, dy, w, s, b, e);
    });
  if (!dw && !db) return;
  // One partial dW (and db) per chunk of output rows, summed in chunk order.
  const int64_t wsize = s.kh * s.kw * s.c;
  const int64_t stride = wsize + s.c;
  std::vector<float> partial(static_cast<size_t>(cpu_threads() * stride), 0.0f);
  const int used = parallel_chunks(s.n * s.ho(), [&](int chunk, int64_t b, int64_t e) {
    float* pw = partial.data() + chunk * stride;
    float* pb = db ? pw + wsize : nullptr;
    if (vector)
      avx2::depthwise_backward_weight(pw, pb, dy, x, s, b, e);
    else
      portable::depthwise_backward_weight_rows(pw, pb, dy, x, s, b, e);
  });
  if (dw) std::memset(dw, 0, sizeof(float) * wsize);
  if (db) std::memset(db, 0, sizeof(float) * s.c);
  for (int k = 0; k < used; ++k) {
    const float* pw = partial.data() + k * stride;
    if (dw)
      for (int64_t i = 0; i < wsize; ++i) dw[i] += pw[i];
    if (db)
      for (int64_t c = 0; c < s.c; ++c) db[c] += pw[wsize + c];
  }
}

}  // namespace prunas::cpu
