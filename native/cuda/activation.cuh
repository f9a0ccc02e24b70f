// The activations on the device, with the CPU's conventions at the kinks
// (native/cpu/activation.cc): the slope at x == 0 (ReLU), 0 or 6 (ReLU6) is 0.
#pragma once
#include "cuda/kernels.h"

namespace prunas::cuda {

__device__ __forceinline__ float activate(float v, Activation act) {
  switch (act) {
    case Activation::Relu: return v > 0.0f ? v : 0.0f;
    case Activation::Relu6: return fminf(fmaxf(v, 0.0f), 6.0f);
    case Activation::Hswish: return v * fminf(fmaxf(v + 3.0f, 0.0f), 6.0f) * (1.0f / 6.0f);
    default: return v;
  }
}

__device__ __forceinline__ float activation_slope(float v, Activation act) {
  switch (act) {
    case Activation::Relu: return v > 0.0f ? 1.0f : 0.0f;
    case Activation::Relu6: return (v > 0.0f && v < 6.0f) ? 1.0f : 0.0f;
    case Activation::Hswish: return v < -3.0f ? 0.0f : v > 3.0f ? 1.0f : (2.0f * v + 3.0f) * (1.0f / 6.0f);
    default: return 1.0f;
  }
}

}  // namespace prunas::cuda
