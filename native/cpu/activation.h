#pragma once
#include <cstdint>

namespace prunas::cpu {

// Elementwise activations over n floats. Backward takes the forward's input
// x and the upstream gradient dy; dx may alias dy.
void relu_forward(float* y, const float* x, int64_t n);
void relu_backward(float* dx, const float* dy, const float* x, int64_t n);
void relu6_forward(float* y, const float* x, int64_t n);
void relu6_backward(float* dx, const float* dy, const float* x, int64_t n);
void hswish_forward(float* y, const float* x, int64_t n);
void hswish_backward(float* dx, const float* dy, const float* x, int64_t n);

// Residual add: y = a + b. Its backward is the identity to both inputs.
void add_forward(float* y, const float* a, const float* b, int64_t n);

}  // namespace prunas::cpu
