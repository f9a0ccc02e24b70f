// The activations on the device, with the CPU's conventions at the kinks
// (native/cpu/activation.cc): the slope at x == 0 (ReLU), 0 or 6 (ReLU6) is 0.
// Clamps and masks are written as the CPU's std::min/std::max and selects, so
// a NaN or infinity propagates (or not) exactly as it does there.
#pragma once
#include "cuda/kernels.h"

namespace prunas::cuda {

// std::min(std::max(v, 0), 6): a NaN stays NaN (fminf/fmaxf would give 0)
__device__ __forceinline__ float clamp_0_6(float v) {
  const float lo = v < 0.0f ? 0.0f : v;
  return 6.0f < lo ? 6.0f : lo;
}

__device__ __forceinline__ float activate(float v, Activation act) {
  switch (act) {
    case Activation::Relu: return v > 0.0f ? v : 0.0f;
    case Activation::Relu6: return clamp_0_6(v);
    case Activation::Hswish: return v * clamp_0_6(v + 3.0f) * (1.0f / 6.0f);
    default: return v;
  }
}

// dy·act'(v); ReLU and ReLU6 select dy or 0 as the CPU does (0 even where dy is not finite).
__device__ __forceinline__ float activation_grad(float dy, float v, Activation act) {
  switch (act) {
    case Activation::Relu: return v > 0.0f ? dy : 0.0f;
    case Activation::Relu6: return (v > 0.0f && v < 6.0f) ? dy : 0.0f;
    case Activation::Hswish: return dy * (v < -3.0f ? 0.0f : v > 3.0f ? 1.0f : (2.0f * v + 3.0f) * (1.0f / 6.0f));
    default: return dy;
  }
}

}  // namespace prunas::cuda
