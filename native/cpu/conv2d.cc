// Dense and grouped convolution, forward and backward, as im2col + GEMM.
// The batch is processed in chunks of images so the column buffer stays
// bounded; a plain 1×1 stride-1 convolution skips im2col (it is a GEMM).
#include "cpu/conv2d.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/gemm.h"
#include "cpu/linear.h"
#include "cpu/reduce.h"

namespace prunas::cpu {

namespace {

constexpr int64_t kColumnBufferFloats = 16 << 20;  // 64 MB

bool is_plain_pointwise(const Conv2dShape& s) {
  return s.kh == 1 && s.kw == 1 && s.sh == 1 && s.sw == 1 && s.ph == 0 && s.pw == 0 && s.groups == 1;
}

int64_t patch_size(const Conv2dShape& s) { return s.kh * s.kw * (s.cin / s.groups); }

int64_t images_per_chunk(const Conv2dShape& s) {
  const int64_t per_image = s.ho() * s.wo() * patch_size(s);
  return std::max<int64_t>(1, std::min<int64_t>(s.n, kColumnBufferFloats / std::max<int64_t>(1, per_image)));
}

// cols[pixel][(i·kw + j)·cg + c] = x[img, oh·sh − ph + i, ow·sw − pw + j, g·cg + c] (0 outside).
void im2col(float* cols, const float* x, const Conv2dShape& s, int64_t images, int64_t g) {
  const int64_t cg = s.cin / s.groups, K = patch_size(s), ho = s.ho(), wo = s.wo();
  parallel_for(images * ho, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const int64_t img = r / ho, oh = r % ho;
      for (int64_t ow = 0; ow < wo; ++ow) {
        float* dst = cols + (r * wo + ow) * K;
        for (int64_t i = 0; i < s.kh; ++i) {
          const int64_t ih = oh * s.sh - s.ph + i;
          for (int64_t j = 0; j < s.kw; ++j) {
            const int64_t iw = ow * s.sw - s.pw + j;
            float* d = dst + (i * s.kw + j) * cg;
            const bool inside = ih >= 0 && ih < s.h && iw >= 0 && iw < s.w;
            const float* src = inside ? x + ((img * s.h + ih) * s.w + iw) * s.cin + g * cg : nullptr;
            if (cg >= 16) {  // a library call pays off only for longer runs (stems have 1 or 3 channels)
              if (inside)
                std::memcpy(d, src, sizeof(float) * cg);
              else
                std::memset(d, 0, sizeof(float) * cg);
            } else {
              for (int64_t c = 0; c < cg; ++c) d[c] = inside ? src[c] : 0.0f;
            }
          }
        }
      }
    }
  });
}

// The adjoint of im2col as a gather: each input pixel sums the column
// entries that read it, so rows of dx are independent and threads never race.
void col2im_add(float* dx, const float* dcols, const Conv2dShape& s, int64_t images, int64_t g) {
  const int64_t cg = s.cin / s.groups, K = patch_size(s), ho = s.ho(), wo = s.wo();
  parallel_for(images * s.h, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const int64_t img = r / s.h, ih = r % s.h;
      for (int64_t iw = 0; iw < s.w; ++iw) {
        float* d = dx + ((img * s.h + ih) * s.w + iw) * s.cin + g * cg;
        for (int64_t i = 0; i < s.kh; ++i) {
          const int64_t t = ih + s.ph - i;
          if (t < 0 || t % s.sh != 0 || t / s.sh >= ho) continue;
          const int64_t oh = t / s.sh;
          for (int64_t j = 0; j < s.kw; ++j) {
            const int64_t u = iw + s.pw - j;
            if (u < 0 || u % s.sw != 0 || u / s.sw >= wo) continue;
            const float* src = dcols + ((img * ho + oh) * wo + u / s.sw) * K + (i * s.kw + j) * cg;
            for (int64_t c = 0; c < cg; ++c) d[c] += src[c];
          }
        }
      }
    }
  });
}

void add_bias(float* y, const float* bias, int64_t rows, int64_t cols) {
  parallel_for(rows, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r)
      for (int64_t c = 0; c < cols; ++c) y[r * cols + c] += bias[c];
  }, 256);
}

}  // namespace

void check_conv2d_shape(const Conv2dShape& s) {
  check_range("n", s.n, 1, 1 << 24);
  check_range("h", s.h, 1, 1 << 16);
  check_range("w", s.w, 1, 1 << 16);
  check_range("cin", s.cin, 1, 1 << 16);
  check_range("cout", s.cout, 1, 1 << 16);
  check_range("kh", s.kh, 1, 7);
  check_range("kw", s.kw, 1, 7);
  check_range("strideH", s.sh, 1, 2);
  check_range("strideW", s.sw, 1, 2);
  check_range("padH", s.ph, 0, s.kh - 1);
  check_range("padW", s.pw, 0, s.kw - 1);
  check_range("groups", s.groups, 1, s.cin);
  if (s.cin % s.groups != 0 || s.cout % s.groups != 0)
    throw_range("groups = " + std::to_string(s.groups) + " must divide cin = " + std::to_string(s.cin) +
                " and cout = " + std::to_string(s.cout));
  if (s.h + 2 * s.ph < s.kh || s.w + 2 * s.pw < s.kw)
    throw_range("input " + std::to_string(s.h) + "×" + std::to_string(s.w) + " is smaller than the kernel " +
                std::to_string(s.kh) + "×" + std::to_string(s.kw) + " after padding");
}

void conv2d_forward(float* y, const float* x, const float* w, const float* bias, const Conv2dShape& s) {
  if (is_plain_pointwise(s)) return linear_forward(y, x, w, bias, s.n * s.h * s.w, s.cin, s.cout);
  const int64_t K = patch_size(s), coutg = s.cout / s.groups, pixels = s.ho() * s.wo();
  const int64_t chunk = images_per_chunk(s);
  // Not zero-initialised: im2col writes every element.
  const std::unique_ptr<float[]> cols(new float[chunk * pixels * K]);
  for (int64_t n0 = 0; n0 < s.n; n0 += chunk) {
    const int64_t images = std::min(chunk, s.n - n0);
    const float* xin = x + n0 * s.h * s.w * s.cin;
    float* yout = y + n0 * pixels * s.cout;
    for (int64_t g = 0; g < s.groups; ++g) {
      im2col(cols.get(), xin, s, images, g);
      sgemm(false, true, images * pixels, coutg, K, 1.0f, cols.get(), K, w + g * coutg * K, K, 0.0f,
            yout + g * coutg, s.cout);
    }
  }
  if (bias) add_bias(y, bias, s.n * pixels, s.cout);
}

void conv2d_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w,
                     const Conv2dShape& s) {
  if (is_plain_pointwise(s)) return linear_backward(dx, dw, db, dy, x, w, s.n * s.h * s.w, s.cin, s.cout);
  const int64_t K = patch_size(s), coutg = s.cout / s.groups, pixels = s.ho() * s.wo();
  const int64_t chunk = images_per_chunk(s);
  const std::unique_ptr<float[]> cols(new float[chunk * pixels * K]);
  if (dx) std::memset(dx, 0, sizeof(float) * s.n * s.h * s.w * s.cin);
  for (int64_t n0 = 0; n0 < s.n; n0 += chunk) {
    const int64_t images = std::min(chunk, s.n - n0), rows = images * pixels;
    const float* dyin = dy + n0 * pixels * s.cout;
    for (int64_t g = 0; g < s.groups; ++g) {
      if (dw) {
        im2col(cols.get(), x + n0 * s.h * s.w * s.cin, s, images, g);
        sgemm(true, false, coutg, K, rows, 1.0f, dyin + g * coutg, s.cout, cols.get(), K, n0 == 0 ? 0.0f : 1.0f,
              dw + g * coutg * K, K);
      }
      if (dx) {
        sgemm(false, false, rows, K, coutg, 1.0f, dyin + g * coutg, s.cout, w + g * coutg * K, K, 0.0f, cols.get(),
              K);
        col2im_add(dx + n0 * s.h * s.w * s.cin, cols.get(), s, images, g);
      }
    }
  }
  if (db) column_sums(db, dy, s.n * pixels, s.cout);
}

}  // namespace prunas::cpu
