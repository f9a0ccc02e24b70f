#include "cpu/optim.h"

#include <cmath>

#include "core/thread_pool.h"

namespace prunas::cpu {

namespace {
constexpr int64_t kOptimizerChunk = 1 << 14;
}

void sgd_step(float* param, float* buffer, const float* grad, int64_t n, const SgdOptions& o, bool first) {
  parallel_for(n, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      float g = grad[i] + o.weight_decay * param[i];
      if (o.momentum != 0.0f) {
        buffer[i] = first ? g : o.momentum * buffer[i] + g;
        g = o.nesterov ? g + o.momentum * buffer[i] : buffer[i];
      }
      param[i] -= o.lr * g;
    }
  }, kOptimizerChunk);
}

void adam_step(float* param, float* m, float* v, const float* grad, int64_t n, const AdamOptions& o, int64_t step) {
  const double correction1 = 1.0 - std::pow(static_cast<double>(o.beta1), static_cast<double>(step));
  const double correction2 = 1.0 - std::pow(static_cast<double>(o.beta2), static_cast<double>(step));
  const float step_size = static_cast<float>(o.lr / correction1);
  const float sqrt_correction2 = static_cast<float>(std::sqrt(correction2));
  parallel_for(n, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      float g = grad[i];
      if (o.decoupled)
        param[i] *= 1.0f - o.lr * o.weight_decay;
      else
        g += o.weight_decay * param[i];
      m[i] = o.beta1 * m[i] + (1.0f - o.beta1) * g;
      v[i] = o.beta2 * v[i] + (1.0f - o.beta2) * g * g;
      param[i] -= step_size * m[i] / (std::sqrt(v[i]) / sqrt_correction2 + o.eps);
    }
  }, kOptimizerChunk);
}

}  // namespace prunas::cpu
