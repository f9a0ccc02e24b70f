#pragma once
#include <cstdint>
#include <cstring>

namespace prunas::cpu {

// value where keep, else +0: without a branch (a branch on the sign of
// activations mispredicts about half the time and stops vectorisation).
inline float keep_if(bool keep, float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  bits &= 0u - static_cast<uint32_t>(keep);
  float out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

// The activations' gradients at input x: dy·act'(x) (PyTorch's values at the kinks).
inline float relu_grad(float x, float dy) { return keep_if(x > 0.0f, dy); }
inline float relu6_grad(float x, float dy) { return keep_if((x > 0.0f) & (x < 6.0f), dy); }
inline float hswish_grad(float x, float dy) {
  const float middle = (2.0f * x + 3.0f) * (1.0f / 6.0f);
  const float slope = keep_if(!(x < -3.0f), keep_if(!(x > 3.0f), middle) + keep_if(x > 3.0f, 1.0f));
  return dy * slope;
}

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
