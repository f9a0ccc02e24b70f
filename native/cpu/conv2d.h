#pragma once
#include <cstdint>
#include <initializer_list>

namespace prunas::cpu {

// A dense or grouped 2-D convolution over NHWC input [n, h, w, cin] with
// OHWI weights [cout][kh][kw][cin / groups] and zero padding (ph, pw) on
// each side. Output [n, ho, wo, cout].
struct Conv2dShape {
  int64_t n, h, w, cin, cout, kh, kw, sh, sw, ph, pw, groups;
  int64_t ho() const { return (h + 2 * ph - kh) / sh + 1; }
  int64_t wo() const { return (w + 2 * pw - kw) / sw + 1; }
};

// Throws a RangeError naming the first inconsistent field, or the tensor
// (x, y, weight) whose element count would not fit in 2^40.
void check_conv2d_shape(const Conv2dShape& s);

// Throws a RangeError when the product of dims exceeds 2^40, so callers can
// compute tensor lengths without overflow.
void check_tensor_size(const char* name, std::initializer_list<int64_t> dims);

void conv2d_forward(float* y, const float* x, const float* w, const float* bias, const Conv2dShape& s);

// dx, dw, db may each be null; gradients overwrite their outputs.
void conv2d_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w,
                     const Conv2dShape& s);

}  // namespace prunas::cpu
