// Depthwise convolution, forward and backward. The portable loops below
// define the results: plain loops over contiguous channels that the compiler
// vectorises for the baseline ISA. depthwise_avx2.cc holds register-blocked
// AVX2+FMA versions of the same three loops; the CPU picks at run time
// (PRUNAS_CPU_PATH=portable forces these).
#include "cpu/depthwise.h"

#include <cstring>
#include <string>
#include <vector>

#include "core/cpu_features.h"
#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/conv2d.h"

namespace prunas::cpu {

namespace avx2 {
void depthwise_forward(float* y, const float* x, const float* w, const float* bias, const DepthwiseShape& s,
                       int64_t ho, int64_t wo, int64_t row_begin, int64_t row_end);
void depthwise_backward_input(float* dx, const float* dy, const float* w, const DepthwiseShape& s, int64_t ho,
                              int64_t wo, int64_t row_begin, int64_t row_end);
void depthwise_backward_weight(float* dw, float* db, const float* dy, const float* x, const DepthwiseShape& s,
                               int64_t ho, int64_t wo, int64_t row_begin, int64_t row_end);
}  // namespace avx2

namespace {
// y rows [row_begin, row_end) of the flattened (image, output row) index.
void forward_rows(float* __restrict y, const float* __restrict x, const float* __restrict w,
                                   const float* __restrict bias, const DepthwiseShape& s, int64_t row_begin,
                                   int64_t row_end) {
  const int64_t C = s.c, ho = s.ho(), wo = s.wo();
  for (int64_t r = row_begin; r < row_end; ++r) {
    const int64_t img = r / ho, oh = r % ho;
    for (int64_t ow = 0; ow < wo; ++ow) {
      float* __restrict out = y + (r * wo + ow) * C;
      if (bias)
        std::memcpy(out, bias, sizeof(float) * C);
      else
        std::memset(out, 0, sizeof(float) * C);
      for (int64_t i = 0; i < s.kh; ++i) {
        const int64_t ih = oh * s.sh - s.ph + i;
        if (ih < 0 || ih >= s.h) continue;
        for (int64_t j = 0; j < s.kw; ++j) {
          const int64_t iw = ow * s.sw - s.pw + j;
          if (iw < 0 || iw >= s.w) continue;
          const float* __restrict in = x + ((img * s.h + ih) * s.w + iw) * C;
          const float* __restrict k = w + (i * s.kw + j) * C;
          for (int64_t c = 0; c < C; ++c) out[c] += in[c] * k[c];
        }
      }
    }
  }
}

// dx rows [row_begin, row_end) of the flattened (image, input row) index,
// gathered from the outputs that read them.
void backward_input_rows(float* __restrict dx, const float* __restrict dy,
                                          const float* __restrict w, const DepthwiseShape& s, int64_t row_begin,
                                          int64_t row_end) {
  const int64_t C = s.c, ho = s.ho(), wo = s.wo();
  for (int64_t r = row_begin; r < row_end; ++r) {
    const int64_t img = r / s.h, ih = r % s.h;
    for (int64_t iw = 0; iw < s.w; ++iw) {
      float* __restrict d = dx + (r * s.w + iw) * C;
      std::memset(d, 0, sizeof(float) * C);
      for (int64_t i = 0; i < s.kh; ++i) {
        const int64_t t = ih + s.ph - i;
        if (t < 0 || t % s.sh != 0 || t / s.sh >= ho) continue;
        for (int64_t j = 0; j < s.kw; ++j) {
          const int64_t u = iw + s.pw - j;
          if (u < 0 || u % s.sw != 0 || u / s.sw >= wo) continue;
          const float* __restrict g = dy + ((img * ho + t / s.sh) * wo + u / s.sw) * C;
          const float* __restrict k = w + (i * s.kw + j) * C;
          for (int64_t c = 0; c < C; ++c) d[c] += g[c] * k[c];
        }
      }
    }
  }
}

// Accumulates dW[kh][kw][c] (and db[c]) over output rows [row_begin, row_end).
void backward_weight_rows(float* __restrict dw, float* __restrict db, const float* __restrict dy,
                                           const float* __restrict x, const DepthwiseShape& s, int64_t row_begin,
                                           int64_t row_end) {
  const int64_t C = s.c, ho = s.ho(), wo = s.wo();
  for (int64_t r = row_begin; r < row_end; ++r) {
    const int64_t img = r / ho, oh = r % ho;
    for (int64_t ow = 0; ow < wo; ++ow) {
      const float* __restrict g = dy + (r * wo + ow) * C;
      if (db)
        for (int64_t c = 0; c < C; ++c) db[c] += g[c];
      for (int64_t i = 0; i < s.kh; ++i) {
        const int64_t ih = oh * s.sh - s.ph + i;
        if (ih < 0 || ih >= s.h) continue;
        for (int64_t j = 0; j < s.kw; ++j) {
          const int64_t iw = ow * s.sw - s.pw + j;
          if (iw < 0 || iw >= s.w) continue;
          const float* __restrict in = x + ((img * s.h + ih) * s.w + iw) * C;
          float* __restrict acc = dw + (i * s.kw + j) * C;
          for (int64_t c = 0; c < C; ++c) acc[c] += g[c] * in[c];
        }
      }
    }
  }
}

}  // namespace

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
  check_tensor_size("x", {s.n, s.h, s.w, s.c});
  check_tensor_size("y", {s.n, s.ho(), s.wo(), s.c});
}

void depthwise_forward(float* y, const float* x, const float* w, const float* bias, const DepthwiseShape& s) {
  const bool vector = cpu_features().avx2_fma;
  const int64_t ho = s.ho(), wo = s.wo();
  parallel_for(s.n * ho, [&](int64_t b, int64_t e) {
    if (vector)
      avx2::depthwise_forward(y, x, w, bias, s, ho, wo, b, e);
    else
      forward_rows(y, x, w, bias, s, b, e);
  });
}

void depthwise_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w,
                        const DepthwiseShape& s) {
  const bool vector = cpu_features().avx2_fma;
  const int64_t ho = s.ho(), wo = s.wo();
  if (dx)
    parallel_for(s.n * s.h, [&](int64_t b, int64_t e) {
      if (vector)
        avx2::depthwise_backward_input(dx, dy, w, s, ho, wo, b, e);
      else
        backward_input_rows(dx, dy, w, s, b, e);
    });
  if (!dw && !db) return;
  // One partial dW (and db) per chunk of output rows, summed in chunk order.
  const int64_t wsize = s.kh * s.kw * s.c;
  const int64_t stride = wsize + s.c;
  std::vector<float> partial(static_cast<size_t>(cpu_threads() * stride), 0.0f);
  const int used = parallel_chunks(s.n * ho, [&](int chunk, int64_t b, int64_t e) {
    float* pw = partial.data() + chunk * stride;
    float* pb = db ? pw + wsize : nullptr;
    if (vector)
      avx2::depthwise_backward_weight(pw, pb, dy, x, s, ho, wo, b, e);
    else
      backward_weight_rows(pw, pb, dy, x, s, b, e);
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
