// Dense and grouped convolution, forward and backward, as im2col + GEMM.
// GEMM rows are output pixels (n, oh, ow flattened); they are processed in
// chunks so the column buffer stays under 64 MB whatever the batch or image
// size. A 1×1 stride-1 unpadded convolution needs no im2col: x itself is the
// column matrix (with leading dimension cin for each group's slice).
#include "cpu/conv2d.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/gemm.h"
#include "cpu/reduce.h"

namespace prunas::cpu {

namespace {

constexpr int64_t kColumnBufferFloats = 16 << 20;  // 64 MB

bool is_pointwise(const Conv2dShape& s) {
  return s.kh == 1 && s.kw == 1 && s.sh == 1 && s.sw == 1 && s.ph == 0 && s.pw == 0;
}

int64_t patch_size(const Conv2dShape& s) { return s.kh * s.kw * (s.cin / s.groups); }

int64_t pixels_per_chunk(const Conv2dShape& s) {
  const int64_t pixels = s.n * s.ho() * s.wo();
  return std::max<int64_t>(1, std::min<int64_t>(pixels, kColumnBufferFloats / patch_size(s)));
}

// Copies n floats, or writes zeros when src is null.
inline void copy_or_zero(float* dst, const float* src, int64_t n) {
  if (n >= 16) {  // a library call pays off only for longer runs (stems have 1 or 3 channels)
    if (src)
      std::memcpy(dst, src, sizeof(float) * n);
    else
      std::memset(dst, 0, sizeof(float) * n);
  } else {
    for (int64_t c = 0; c < n; ++c) dst[c] = src ? src[c] : 0.0f;
  }
}

// cols[p − p0][(i·kw + j)·cg + c] = x[img, oh·sh − ph + i, ow·sw − pw + j, g·cg + c]
// (0 outside) for output pixels p = (img·ho + oh)·wo + ow in [p0, p1).
void im2col(float* cols, const float* x, const Conv2dShape& s, int64_t p0, int64_t p1, int64_t g) {
  const int64_t cg = s.cin / s.groups, K = patch_size(s), ho = s.ho(), wo = s.wo();
  parallel_for(p1 - p0, [&](int64_t b, int64_t e) {
    int64_t img = (p0 + b) / (ho * wo), oh = (p0 + b) / wo % ho, ow = (p0 + b) % wo;
    for (int64_t q = b; q < e; ++q) {
      const int64_t top = oh * s.sh - s.ph, left = ow * s.sw - s.pw;
      // With one group, a kernel row inside the image is one run of kw·cin floats of x.
      const bool whole_rows = s.groups == 1 && left >= 0 && left + s.kw <= s.w;
      for (int64_t i = 0; i < s.kh; ++i) {
        float* d = cols + q * K + i * s.kw * cg;
        const int64_t ih = top + i;
        if (ih < 0 || ih >= s.h) {
          copy_or_zero(d, nullptr, s.kw * cg);
          continue;
        }
        const float* x_row = x + (img * s.h + ih) * s.w * s.cin + g * cg;
        if (whole_rows) {
          copy_or_zero(d, x_row + left * s.cin, s.kw * cg);
          continue;
        }
        for (int64_t j = 0; j < s.kw; ++j) {
          const int64_t iw = left + j;
          copy_or_zero(d + j * cg, iw >= 0 && iw < s.w ? x_row + iw * s.cin : nullptr, cg);
        }
      }
      if (++ow == wo) {
        ow = 0;
        if (++oh == ho) oh = 0, ++img;
      }
    }
  }, 16);
}

// The taps that read input coordinate `in` along one axis: (kernel index, output index) pairs.
struct AxisTap {
  int64_t k, out;
};
int axis_taps(AxisTap* taps, int64_t in, int64_t pad, int64_t kernel, int64_t stride, int64_t out_size) {
  int n = 0;
  for (int64_t k = 0; k < kernel; ++k) {
    const int64_t t = in + pad - k;
    if (t >= 0 && t % stride == 0 && t / stride < out_size) taps[n++] = {k, t / stride};
  }
  return n;
}

// The adjoint of im2col for output pixels [p0, p1), as a gather: each input
// pixel sums the column entries that read it, so rows of dx are independent
// and threads never race. Only the input rows those pixels read are visited.
void col2im_add(float* dx, const float* dcols, const Conv2dShape& s, int64_t p0, int64_t p1, int64_t g) {
  const int64_t cg = s.cin / s.groups, K = patch_size(s), ho = s.ho(), wo = s.wo();
  const int64_t first = p0 / wo, last = (p1 - 1) / wo;  // flattened (img, oh) rows
  const int64_t row_begin = first / ho * s.h + std::max<int64_t>(0, first % ho * s.sh - s.ph);
  const int64_t row_end = last / ho * s.h + std::min<int64_t>(s.h, last % ho * s.sh - s.ph + s.kh);
  std::vector<AxisTap> column_taps(static_cast<size_t>(s.w * s.kw));
  std::vector<int> column_count(static_cast<size_t>(s.w));
  for (int64_t iw = 0; iw < s.w; ++iw) column_count[iw] = axis_taps(&column_taps[iw * s.kw], iw, s.pw, s.kw, s.sw, wo);
  parallel_for(row_end - row_begin, [&](int64_t b, int64_t e) {
    AxisTap row_taps[7];
    for (int64_t r = row_begin + b; r < row_begin + e; ++r) {
      const int64_t img = r / s.h;
      const int nrows = axis_taps(row_taps, r % s.h, s.ph, s.kh, s.sh, ho);
      for (int64_t iw = 0; iw < s.w; ++iw) {
        float* d = dx + (r * s.w + iw) * s.cin + g * cg;
        for (int a = 0; a < nrows; ++a)
          for (int c = 0; c < column_count[iw]; ++c) {
            const AxisTap& col = column_taps[iw * s.kw + c];
            const int64_t p = (img * ho + row_taps[a].out) * wo + col.out;
            if (p < p0 || p >= p1) continue;
            const float* src = dcols + (p - p0) * K + (row_taps[a].k * s.kw + col.k) * cg;
            for (int64_t ch = 0; ch < cg; ++ch) d[ch] += src[ch];
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

void check_tensor_size(const char* name, std::initializer_list<int64_t> dims) {
  constexpr int64_t kMaxElements = int64_t{1} << 40;
  int64_t count = 1;
  for (int64_t d : dims)
    if (__builtin_mul_overflow(count, d, &count) || count > kMaxElements)
      throw_range(std::string(name) + " would have more than 2^40 elements");
}

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
  check_tensor_size("x", {s.n, s.h, s.w, s.cin});
  check_tensor_size("y", {s.n, s.ho(), s.wo(), s.cout});
  check_tensor_size("weight", {s.cout, s.kh, s.kw, s.cin / s.groups});
}

void conv2d_forward(float* y, const float* x, const float* w, const float* bias, const Conv2dShape& s) {
  const int64_t K = patch_size(s), cg = s.cin / s.groups, coutg = s.cout / s.groups;
  const int64_t pixels = s.n * s.ho() * s.wo();
  if (is_pointwise(s)) {
    for (int64_t g = 0; g < s.groups; ++g)
      sgemm(false, true, pixels, coutg, cg, 1.0f, x + g * cg, s.cin, w + g * coutg * K, K, 0.0f, y + g * coutg,
            s.cout);
  } else {
    const int64_t chunk = pixels_per_chunk(s);
    // Not zero-initialised: im2col writes every element.
    const std::unique_ptr<float[]> cols(new float[chunk * K]);
    for (int64_t p0 = 0; p0 < pixels; p0 += chunk) {
      const int64_t p1 = std::min(pixels, p0 + chunk);
      for (int64_t g = 0; g < s.groups; ++g) {
        im2col(cols.get(), x, s, p0, p1, g);
        sgemm(false, true, p1 - p0, coutg, K, 1.0f, cols.get(), K, w + g * coutg * K, K, 0.0f,
              y + p0 * s.cout + g * coutg, s.cout);
      }
    }
  }
  if (bias) add_bias(y, bias, pixels, s.cout);
}

void conv2d_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w,
                     const Conv2dShape& s) {
  const int64_t K = patch_size(s), cg = s.cin / s.groups, coutg = s.cout / s.groups;
  const int64_t pixels = s.n * s.ho() * s.wo();
  if (db) column_sums(db, dy, pixels, s.cout);
  if (is_pointwise(s)) {
    for (int64_t g = 0; g < s.groups; ++g) {
      if (dw)
        sgemm(true, false, coutg, cg, pixels, 1.0f, dy + g * coutg, s.cout, x + g * cg, s.cin, 0.0f,
              dw + g * coutg * K, K);
      if (dx)
        sgemm(false, false, pixels, cg, coutg, 1.0f, dy + g * coutg, s.cout, w + g * coutg * K, K, 0.0f,
              dx + g * cg, s.cin);
    }
    return;
  }
  if (!dx && !dw) return;
  const int64_t chunk = pixels_per_chunk(s);
  const std::unique_ptr<float[]> cols(new float[chunk * K]);
  if (dx) std::memset(dx, 0, sizeof(float) * s.n * s.h * s.w * s.cin);
  // dW accumulates over chunks in chunk order, so the sum is deterministic.
  for (int64_t p0 = 0; p0 < pixels; p0 += chunk) {
    const int64_t p1 = std::min(pixels, p0 + chunk);
    for (int64_t g = 0; g < s.groups; ++g) {
      const float* dy_g = dy + p0 * s.cout + g * coutg;
      if (dw) {
        im2col(cols.get(), x, s, p0, p1, g);
        sgemm(true, false, coutg, K, p1 - p0, 1.0f, dy_g, s.cout, cols.get(), K, p0 == 0 ? 0.0f : 1.0f,
              dw + g * coutg * K, K);
      }
      if (dx) {
        sgemm(false, false, p1 - p0, K, coutg, 1.0f, dy_g, s.cout, w + g * coutg * K, K, 0.0f, cols.get(), K);
        col2im_add(dx, cols.get(), s, p0, p1, g);
      }
    }
  }
}

}  // namespace prunas::cpu
