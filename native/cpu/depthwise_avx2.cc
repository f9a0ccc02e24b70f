// The depthwise loops compiled with AVX2+FMA (see depthwise_impl.h).
#include <cstdint>
#include <cstring>

#include "cpu/depthwise.h"

namespace prunas::cpu::avx2 {
using prunas::cpu::DepthwiseShape;
#include "cpu/depthwise_impl.h"

void depthwise_forward(float* y, const float* x, const float* w, const float* bias, const DepthwiseShape& s,
                       int64_t b, int64_t e) {
  depthwise_forward_rows(y, x, w, bias, s, b, e);
}
void depthwise_backward_input(float* dx, const float* dy, const float* w, const DepthwiseShape& s, int64_t b,
                              int64_t e) {
  depthwise_backward_input_rows(dx, dy, w, s, b, e);
}
void depthwise_backward_weight(float* dw, float* db, const float* dy, const float* x, const DepthwiseShape& s,
                               int64_t b, int64_t e) {
  depthwise_backward_weight_rows(dw, db, dy, x, s, b, e);
}
}  // namespace prunas::cpu::avx2
