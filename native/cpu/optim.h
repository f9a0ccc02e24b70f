#pragma once
#include <cstdint>

namespace prunas::cpu {

// In-place optimizer updates over n parameters, torch.optim semantics
// (dampening 0, no maximize). Elementwise: the result does not depend on
// threads. param, grad and the state arrays must not overlap.
//
// Hyper-parameters are doubles, as Python floats are in PyTorch: derived
// coefficients such as 1 − β2 are formed in double and only then rounded to
// float (1 − 0.999f would be off by 1.3e-5).

struct SgdOptions {
  double lr = 0.1;
  double momentum = 0.0;
  bool nesterov = false;      // needs momentum > 0
  double weight_decay = 0.0;  // L2: added to the gradient
};

// torch.optim.SGD: d = g + λ·p; with momentum, buf = first ? d : μ·buf + d and
// d = nesterov ? d + μ·buf : buf; p −= lr·d. `first` marks the first step of
// this buffer (PyTorch's buffer initialisation); buffer may be null when
// momentum == 0.
void sgd_step(float* param, float* buffer, const float* grad, int64_t n, const SgdOptions& o, bool first);

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool decoupled = false;  // AdamW: p ·= 1 − lr·λ instead of adding λ·p to the gradient
};

// torch.optim.Adam / AdamW: m += (1 − β1)·(g − m), v = β2·v + (1 − β2)·g²,
// p −= lr/(1 − β1^t) · m / (sqrt(v)/sqrt(1 − β2^t) + eps), in PyTorch's order.
// step: the 1-based step count t of these moments (bias correction).
void adam_step(float* param, float* m, float* v, const float* grad, int64_t n, const AdamOptions& o, int64_t step);

}  // namespace prunas::cpu
