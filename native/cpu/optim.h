#pragma once
#include <cstdint>

namespace prunas::cpu {

// In-place optimizer updates over n parameters, torch.optim semantics.

struct SgdOptions {
  float lr = 0.1f;
  float momentum = 0.0f;
  bool nesterov = false;
  float weight_decay = 0.0f;  // L2: added to the gradient
};

// `first` marks the first step of this buffer (momentum buffer := gradient).
// buffer may be null when momentum == 0.
void sgd_step(float* param, float* buffer, const float* grad, int64_t n, const SgdOptions& o, bool first);

struct AdamOptions {
  float lr = 1e-3f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float eps = 1e-8f;
  float weight_decay = 0.0f;
  bool decoupled = false;  // AdamW: decay the weights instead of adding λ·w to the gradient
};

// step: the 1-based step count of these moments (for bias correction).
void adam_step(float* param, float* m, float* v, const float* grad, int64_t n, const AdamOptions& o, int64_t step);

}  // namespace prunas::cpu
