// Depthwise convolution with AVX2+FMA, register-blocked over output pixels
// and channel vectors; the portable loops in depthwise.cc define the results.
//
// Forward and dx are one computation: an output pixel is a sum over taps of
// input pixel · weight tap, channel by channel. For each row the taps are
// listed once; pixels whose taps all lie inside the input ("full" columns)
// share one list and go four or two at a time, the few border pixels get
// their own clipped list. dW reduces over output pixels, one accumulator per
// tap column, so a dy vector is loaded once for all kw taps of a row.
//
// This file must not call inline functions of shared headers (such as
// DepthwiseShape::ho()): the linker may keep this file's AVX2 copy for the
// whole program. Output sizes arrive as arguments.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "cpu/depthwise.h"

namespace prunas::cpu::avx2 {

namespace {

// Offsets in floats: `in` from the block's input base, `w` into the weights.
struct Tap {
  int64_t in, w;
};
constexpr int kMaxTaps = 49;

inline __m256i lanes_below(int64_t lanes) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(lanes)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// Masked forms serve the last C % 8 channels.
template <bool Tail>
inline __m256 load(const float* p, __m256i mask) {
  if constexpr (Tail) return _mm256_maskload_ps(p, mask);
  return _mm256_loadu_ps(p);
}

template <bool Tail>
inline void store(float* p, __m256i mask, __m256 v) {
  if constexpr (Tail)
    _mm256_maskstore_ps(p, mask, v);
  else
    _mm256_storeu_ps(p, v);
}

// out[u·out_step + c] = init[c] + Σ_t in[t.in + u·in_step + c] · w[t.w + c]
// for u < OW and 8·CV channels (all pointers already offset to the block).
template <int OW, int CV, bool Tail>
inline void tap_block(float* out, int64_t out_step, const float* in, int64_t in_step, const float* w, const float* init,
                      const Tap* taps, int ntaps, __m256i mask) {
  __m256 acc[OW][CV];
#pragma GCC unroll 4
  for (int v = 0; v < CV; ++v) {
    const __m256 b = init ? load<Tail>(init + 8 * v, mask) : _mm256_setzero_ps();
#pragma GCC unroll 4
    for (int u = 0; u < OW; ++u) acc[u][v] = b;
  }
  for (int t = 0; t < ntaps; ++t) {
    const float* src = in + taps[t].in;
    const float* k = w + taps[t].w;
#pragma GCC unroll 4
    for (int v = 0; v < CV; ++v) {
      const __m256 kv = load<Tail>(k + 8 * v, mask);
#pragma GCC unroll 4
      for (int u = 0; u < OW; ++u)
        acc[u][v] = _mm256_fmadd_ps(load<Tail>(src + u * in_step + 8 * v, mask), kv, acc[u][v]);
    }
  }
#pragma GCC unroll 4
  for (int u = 0; u < OW; ++u)
#pragma GCC unroll 4
    for (int v = 0; v < CV; ++v) store<Tail>(out + u * out_step + 8 * v, mask, acc[u][v]);
}

// tap_block over channels [c, C) in blocks of CV, CV/2, …, 1 vectors and a
// masked tail; returns nothing, every channel is written.
template <int OW, int CV>
void tap_channels(float* out, int64_t out_step, const float* in, int64_t in_step, const float* w, const float* init,
                  const Tap* taps, int ntaps, int64_t c, int64_t C) {
  for (; c + 8 * CV <= C; c += 8 * CV)
    tap_block<OW, CV, false>(out + c, out_step, in + c, in_step, w + c, init ? init + c : nullptr, taps, ntaps,
                             _mm256_set1_epi32(-1));
  if constexpr (CV > 1) {
    tap_channels<OW, CV / 2>(out, out_step, in, in_step, w, init, taps, ntaps, c, C);
  } else if (c < C) {
    tap_block<OW, 1, true>(out + c, out_step, in + c, in_step, w + c, init ? init + c : nullptr, taps, ntaps,
                           lanes_below(C - c));
  }
}

// OW pixels, all channels: 8 independent accumulators where C allows.
template <int OW>
void tap_pixels(float* out, int64_t out_step, const float* in, int64_t in_step, const float* w, const float* init,
                const Tap* taps, int ntaps, int64_t C) {
  tap_channels<OW, 8 / OW>(out, out_step, in, in_step, w, init, taps, ntaps, 0, C);
}

// A run of kSlide(T) pixels whose taps are whole kernel rows, T taps each:
// out[o·out_step] = init + Σ_r Σ_{t<T} row_r.in[(o·S + t)·C] · row_r.w[t·wstep]
// for 8 channels at offset c. Each input column is loaded once for all the
// pixels that read it and a row's T weight vectors stay in registers, so the
// loop does about one load per two FMAs instead of five per four.
struct KernelRow {
  const float* in;  // the first pixel's first tap
  const float* w;   // the weight vector of tap t = 0
};

constexpr int kSlide(int taps) { return taps >= 6 ? 6 : 8; }  // accumulators + T weights + 1 ≤ 16 registers

template <int T, int S, bool Tail>
void slide_block(float* out, int64_t out_step, const KernelRow* rows, int nrows, int64_t wstep, const float* init,
                 int64_t c, int64_t C, __m256i mask) {
  constexpr int OW = kSlide(T);
  __m256 acc[OW];
  const __m256 b = init ? load<Tail>(init + c, mask) : _mm256_setzero_ps();
#pragma GCC unroll 8
  for (int o = 0; o < OW; ++o) acc[o] = b;
  for (int r = 0; r < nrows; ++r) {
    const float* in = rows[r].in + c;
    __m256 wv[T];
#pragma GCC unroll 7
    for (int t = 0; t < T; ++t) wv[t] = load<Tail>(rows[r].w + t * wstep + c, mask);
#pragma GCC unroll 32
    for (int u = 0; u < (OW - 1) * S + T; ++u) {
      const __m256 xv = load<Tail>(in + u * C, mask);
#pragma GCC unroll 8
      for (int o = 0; o < OW; ++o)
        if (u - o * S >= 0 && u - o * S < T) acc[o] = _mm256_fmadd_ps(xv, wv[u - o * S], acc[o]);
    }
  }
#pragma GCC unroll 8
  for (int o = 0; o < OW; ++o) store<Tail>(out + o * out_step + c, mask, acc[o]);
}

template <int T, int S>
void slide_pixels(float* out, int64_t out_step, const KernelRow* rows, int nrows, int64_t wstep, const float* init,
                  int64_t C) {
  int64_t c = 0;
  for (; c + 8 <= C; c += 8) slide_block<T, S, false>(out, out_step, rows, nrows, wstep, init, c, C, _mm256_set1_epi32(-1));
  if (c < C) slide_block<T, S, true>(out, out_step, rows, nrows, wstep, init, c, C, lanes_below(C - c));
}

using SlideFn = void (*)(float*, int64_t, const KernelRow*, int, int64_t, const float*, int64_t);

template <int... T>
constexpr SlideFn slide_table(int taps, int stride, std::integer_sequence<int, T...>) {
  constexpr SlideFn s1[] = {slide_pixels<T + 1, 1>...};
  constexpr SlideFn s2[] = {slide_pixels<T + 1, 2>...};
  return stride == 1 ? s1[taps - 1] : s2[taps - 1];
}

// The sliding kernel for 1..7 taps per row and input stride 1 or 2.
SlideFn slide_kernel(int taps, int stride) { return slide_table(taps, stride, std::make_integer_sequence<int, 7>()); }

// Output pixels base, base + step, … of one row. Runs of full pixels (every
// tap inside) go `wide` at a time through slide(p, out), then 4 or 2 at a
// time with the shared `full_taps` (input shifted by in_step per pixel);
// border pixels get their own list from clipped(p, taps) (offsets from `in`).
template <typename Full, typename InBase, typename Clipped, typename Slide>
void tap_row(float* out, int64_t out_pixel, int64_t first, int64_t count, int64_t step, const float* in,
             int64_t in_step, const float* w, const float* init, const Tap* full_taps, int nfull, int64_t C, Full full,
             InBase in_base, Clipped clipped, int wide, Slide slide) {
  Tap own[kMaxTaps];
  int64_t k = 0;
  while (k < count) {
    const int64_t p = first + k * step;
    float* o = out + p * out_pixel;
    if (!full(p)) {
      tap_pixels<1>(o, 0, in, 0, w, init, own, clipped(p, own), C);
      k += 1;
    } else if (wide > 0 && k + wide <= count && full(p + (wide - 1) * step)) {
      slide(p, o);
      k += wide;
    } else if (k + 4 <= count && full(p + 3 * step)) {
      tap_pixels<4>(o, step * out_pixel, in + in_base(p), in_step, w, init, full_taps, nfull, C);
      k += 4;
    } else if (k + 2 <= count && full(p + step)) {
      tap_pixels<2>(o, step * out_pixel, in + in_base(p), in_step, w, init, full_taps, nfull, C);
      k += 2;
    } else {
      tap_pixels<1>(o, 0, in + in_base(p), 0, w, init, full_taps, nfull, C);
      k += 1;
    }
  }
}

}  // namespace

void depthwise_forward(float* y, const float* x, const float* w, const float* bias, const DepthwiseShape& s,
                       int64_t ho, int64_t wo, int64_t row_begin, int64_t row_end) {
  const int64_t C = s.c;
  const SlideFn slide_forward = slide_kernel(static_cast<int>(s.kw), static_cast<int>(s.sw));
  Tap taps[kMaxTaps];
  for (int64_t r = row_begin; r < row_end; ++r) {
    const int64_t img = r / ho, top = (r % ho) * s.sh - s.ph;
    const int64_t i0 = std::max<int64_t>(0, -top), i1 = std::min<int64_t>(s.kh, s.h - top);
    const float* x_img = x + img * s.h * s.w * C;
    int nfull = 0;
    for (int64_t i = i0; i < i1; ++i)
      for (int64_t j = 0; j < s.kw; ++j) taps[nfull++] = {((top + i) * s.w + j) * C, (i * s.kw + j) * C};
    const auto left = [&](int64_t ow) { return ow * s.sw - s.pw; };
    const auto full = [&](int64_t ow) { return left(ow) >= 0 && left(ow) + s.kw <= s.w; };
    const auto clipped = [&](int64_t ow, Tap* own) {
      const int64_t j0 = std::max<int64_t>(0, -left(ow)), j1 = std::min<int64_t>(s.kw, s.w - left(ow));
      int n = 0;
      for (int64_t i = i0; i < i1; ++i)
        for (int64_t j = j0; j < j1; ++j) own[n++] = {((top + i) * s.w + left(ow) + j) * C, (i * s.kw + j) * C};
      return n;
    };
    KernelRow kernel_rows[7];
    int nrows = 0;
    for (int64_t i = i0; i < i1; ++i) kernel_rows[nrows++] = {x_img + (top + i) * s.w * C, w + i * s.kw * C};
    const auto slide = [&](int64_t ow, float* out) {
      KernelRow at[7];
      for (int a = 0; a < nrows; ++a) at[a] = {kernel_rows[a].in + left(ow) * C, kernel_rows[a].w};
      slide_forward(out, C, at, nrows, C, bias, C);
    };
    tap_row(y + r * wo * C, C, 0, wo, 1, x_img, s.sw * C, w, bias, taps, nfull, C, full,
            [&](int64_t ow) { return left(ow) * C; }, clipped, kSlide(static_cast<int>(s.kw)), slide);
  }
}

// dx[ih][iw] = Σ dy[oh][ow] · w[i][j] over oh·sh = ih + ph − i, ow·sw = iw + pw − j.
// Columns iw of one phase (iw mod sw) share their tap columns j ≡ iw + pw
// (mod sw), and ow steps by one from one such column to the next.
void depthwise_backward_input(float* dx, const float* dy, const float* w, const DepthwiseShape& s, int64_t ho,
                              int64_t wo, int64_t row_begin, int64_t row_end) {
  const int64_t C = s.c;
  Tap taps[kMaxTaps];
  for (int64_t r = row_begin; r < row_end; ++r) {
    const int64_t img = r / s.h, ih = r % s.h;
    const float* dy_img = dy + img * ho * wo * C;
    int64_t rows[7], krows[7];
    int nrows = 0;
    for (int64_t i = 0; i < s.kh; ++i) {
      const int64_t t = ih + s.ph - i;
      if (t >= 0 && t % s.sh == 0 && t / s.sh < ho) rows[nrows] = t / s.sh, krows[nrows++] = i;
    }
    // Strides are 1 or 2: divide and take remainders by shifts and masks.
    const int64_t shift = s.sw - 1;
    const auto uses_every_tap = [&](int64_t iw) {
      const int64_t q = iw + s.pw, j0 = q & shift;  // taps j = j0, j0 + sw, … read ow = (q − j) / sw
      if (j0 >= s.kw) return true;
      const int64_t j_last = j0 + (((s.kw - 1 - j0) >> shift) << shift);
      return q - j_last >= 0 && (q >> shift) < wo;
    };
    const auto clipped = [&](int64_t iw, Tap* own) {
      int n = 0;
      for (int a = 0; a < nrows; ++a)
        for (int64_t j = 0; j < s.kw; ++j) {
          const int64_t u = iw + s.pw - j;
          if (u >= 0 && (u & shift) == 0 && (u >> shift) < wo) own[n++] = {(rows[a] * wo + (u >> shift)) * C, (krows[a] * s.kw + j) * C};
        }
      return n;
    };
    for (int64_t phase = 0; phase < s.sw && phase < s.w; ++phase) {
      // Taps of a full column of this phase, relative to dy column (iw + pw) / sw.
      const int64_t j0 = (phase + s.pw) & shift;
      const int ntaps = j0 < s.kw ? static_cast<int>(((s.kw - 1 - j0) >> shift) + 1) : 0;
      int nfull = 0;
      for (int a = 0; a < nrows; ++a)
        for (int m = 0; m < ntaps; ++m) taps[nfull++] = {(rows[a] * wo - m) * C, (krows[a] * s.kw + j0 + m * s.sw) * C};
      // Sliding form: tap t = ntaps − 1 − m reads dy column (iw + pw) / sw − (ntaps − 1) + t.
      const auto slide = [&](int64_t iw, float* out) {
        KernelRow at[7];
        const int64_t column = ((iw + s.pw) >> shift) - (ntaps - 1);
        for (int a = 0; a < nrows; ++a)
          at[a] = {dy_img + (rows[a] * wo + column) * C, w + (krows[a] * s.kw + j0 + (ntaps - 1) * s.sw) * C};
        slide_kernel(ntaps, 1)(out, s.sw * C, at, nrows, -s.sw * C, nullptr, C);
      };
      const int64_t count = (s.w - phase + s.sw - 1) / s.sw;
      tap_row(dx + r * s.w * C, C, phase, count, s.sw, dy_img, C, w, nullptr, taps, nfull, C, uses_every_tap,
              [&](int64_t iw) { return ((iw + s.pw) >> shift) * C; }, clipped, ntaps > 0 ? kSlide(ntaps) : 0, slide);
    }
  }
}

namespace {

// One row's contribution to dW[i][·][c] for 8·CV channels:
// acc[j] = Σ_ow dy[ow] · x[ow·sw − pw + j], then added to dw_row[j·C].
template <int KW, int CV, bool Tail>
void weight_row(float* dw_row, const float* dy_row, const float* x_row, const DepthwiseShape& s, int64_t wo,
                int64_t full_begin, int64_t full_end, int64_t C, __m256i mask) {
  __m256 acc[KW][CV];
  for (int j = 0; j < KW; ++j)
    for (int v = 0; v < CV; ++v) acc[j][v] = _mm256_setzero_ps();
  for (int64_t ow = full_begin; ow < full_end; ++ow) {
    const float* g = dy_row + ow * C;
    const float* in = x_row + (ow * s.sw - s.pw) * C;
#pragma GCC unroll 2
    for (int v = 0; v < CV; ++v) {
      const __m256 gv = load<Tail>(g + 8 * v, mask);
#pragma GCC unroll 7
      for (int j = 0; j < KW; ++j) acc[j][v] = _mm256_fmadd_ps(gv, load<Tail>(in + j * C + 8 * v, mask), acc[j][v]);
    }
  }
  const int64_t borders[2][2] = {{0, full_begin}, {full_end, wo}};
  for (const auto& range : borders)
    for (int64_t ow = range[0]; ow < range[1]; ++ow) {
      const int64_t left = ow * s.sw - s.pw;
#pragma GCC unroll 7
      for (int j = 0; j < KW; ++j) {
        if (left + j < 0 || left + j >= s.w) continue;
#pragma GCC unroll 2
        for (int v = 0; v < CV; ++v)
          acc[j][v] = _mm256_fmadd_ps(load<Tail>(dy_row + ow * C + 8 * v, mask),
                                      load<Tail>(x_row + (left + j) * C + 8 * v, mask), acc[j][v]);
      }
    }
  for (int j = 0; j < KW; ++j)
    for (int v = 0; v < CV; ++v) {
      float* d = dw_row + j * C + 8 * v;
      store<Tail>(d, mask, _mm256_add_ps(load<Tail>(d, mask), acc[j][v]));
    }
}

template <int KW>
void weight_rows(float* dw, float* db, const float* dy, const float* x, const DepthwiseShape& s, int64_t ho,
                 int64_t wo, int64_t row_begin, int64_t row_end) {
  constexpr int CV = KW <= 4 ? 2 : 1;  // at least 5 accumulator chains, at most 14 registers
  const int64_t C = s.c;
  const __m256i all = _mm256_set1_epi32(-1);
  // Output columns whose kw taps all lie inside the input.
  const int64_t full_begin = std::min<int64_t>(wo, (s.pw + s.sw - 1) / s.sw);
  const int64_t full_end = std::max<int64_t>(full_begin, std::min<int64_t>(wo, s.w - KW + s.pw >= 0 ? (s.w - KW + s.pw) / s.sw + 1 : 0));
  for (int64_t r = row_begin; r < row_end; ++r) {
    const int64_t img = r / ho, top = (r % ho) * s.sh - s.ph;
    const int64_t i0 = std::max<int64_t>(0, -top), i1 = std::min<int64_t>(s.kh, s.h - top);
    const float* dy_row = dy + r * wo * C;
    for (int64_t i = i0; i < i1; ++i) {
      const float* x_row = x + (img * s.h + top + i) * s.w * C;
      float* dw_row = dw + i * KW * C;
      int64_t c = 0;
      for (; c + 8 * CV <= C; c += 8 * CV)
        weight_row<KW, CV, false>(dw_row + c, dy_row + c, x_row + c, s, wo, full_begin, full_end, C, all);
      for (; c + 8 <= C; c += 8) weight_row<KW, 1, false>(dw_row + c, dy_row + c, x_row + c, s, wo, full_begin, full_end, C, all);
      if (c < C)
        weight_row<KW, 1, true>(dw_row + c, dy_row + c, x_row + c, s, wo, full_begin, full_end, C, lanes_below(C - c));
    }
    if (!db) continue;
    int64_t c = 0;
    for (; c < C; c += 8) {
      const bool tail = c + 8 > C;
      const __m256i mask = tail ? lanes_below(C - c) : all;
      __m256 sum = _mm256_setzero_ps();
      for (int64_t ow = 0; ow < wo; ++ow) sum = _mm256_add_ps(sum, _mm256_maskload_ps(dy_row + ow * C + c, mask));
      _mm256_maskstore_ps(db + c, mask, _mm256_add_ps(_mm256_maskload_ps(db + c, mask), sum));
    }
  }
}

}  // namespace

void depthwise_backward_weight(float* dw, float* db, const float* dy, const float* x, const DepthwiseShape& s,
                               int64_t ho, int64_t wo, int64_t row_begin, int64_t row_end) {
  switch (s.kw) {
    case 1: return weight_rows<1>(dw, db, dy, x, s, ho, wo, row_begin, row_end);
    case 2: return weight_rows<2>(dw, db, dy, x, s, ho, wo, row_begin, row_end);
    case 3: return weight_rows<3>(dw, db, dy, x, s, ho, wo, row_begin, row_end);
    case 4: return weight_rows<4>(dw, db, dy, x, s, ho, wo, row_begin, row_end);
    case 5: return weight_rows<5>(dw, db, dy, x, s, ho, wo, row_begin, row_end);
    case 6: return weight_rows<6>(dw, db, dy, x, s, ho, wo, row_begin, row_end);
    default: return weight_rows<7>(dw, db, dy, x, s, ho, wo, row_begin, row_end);
  }
}

}  // namespace prunas::cpu::avx2
