// Depthwise loops, compiled once per vector ISA (depthwise.cc portable,
// depthwise_avx2.cc with AVX2+FMA) inside the namespace that includes it.
// Plain loops over contiguous channels; the compiler vectorises them.
// Included inside a namespace: the includer brings <cstring> and depthwise.h.

// y rows [row_begin, row_end) of the flattened (image, output row) index.
inline void depthwise_forward_rows(float* __restrict y, const float* __restrict x, const float* __restrict w,
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
inline void depthwise_backward_input_rows(float* __restrict dx, const float* __restrict dy,
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
inline void depthwise_backward_weight_rows(float* __restrict dw, float* __restrict db, const float* __restrict dy,
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
