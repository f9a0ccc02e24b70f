#pragma once
#include <cstdint>

namespace prunas::cpu {

// Depthwise convolution (one k×k filter per channel) over NHWC input
// [n, h, w, c] with weights [kh][kw][c], channels last so the inner loops run
// over contiguous channels and vectorise. Output [n, ho, wo, c].
struct DepthwiseShape {
  int64_t n, h, w, c, kh, kw, sh, sw, ph, pw;
  int64_t ho() const { return (h + 2 * ph - kh) / sh + 1; }
  int64_t wo() const { return (w + 2 * pw - kw) / sw + 1; }
};

void check_depthwise_shape(const DepthwiseShape& s);

void depthwise_forward(float* y, const float* x, const float* w, const float* bias, const DepthwiseShape& s);

// dx, dw, db may each be null; gradients overwrite their outputs.
void depthwise_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w,
                        const DepthwiseShape& s);

}  // namespace prunas::cpu
