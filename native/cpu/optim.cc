#include "cpu/optim.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/thread_pool.h"

namespace prunas::cpu {

namespace {

constexpr int64_t kOptimizerChunk = 1 << 14;

// value must be finite and lie in [lo, hi], or [lo, hi) when hi_open.
void check_hyper(const char* name, double value, double lo, double hi, bool hi_open = false) {
  if (!std::isfinite(value) || value < lo || value > hi || (hi_open && value == hi))
    throw_range(std::string(name) + " must be a finite number in [" + std::to_string(lo) + ", " +
                std::to_string(hi) + (hi_open ? ")" : "]") + ", got " + std::to_string(value));
}

}  // namespace

void sgd_step(float* param, float* buffer, const float* grad, int64_t n, const SgdOptions& o, bool first) {
  check_range("sgd n", n, 0, INT64_MAX);
  check_hyper("sgd lr", o.lr, 0.0, HUGE_VAL);
  check_hyper("sgd momentum", o.momentum, 0.0, 1.0);
  check_hyper("sgd weight decay", o.weight_decay, 0.0, HUGE_VAL);
  if (o.nesterov && o.momentum == 0.0) throw_range("sgd nesterov needs momentum > 0");
  if (o.momentum != 0.0 && buffer == nullptr && n > 0) throw_range("sgd with momentum needs a buffer");
  const float lr = static_cast<float>(o.lr), momentum = static_cast<float>(o.momentum);
  const float weight_decay = static_cast<float>(o.weight_decay);
  const bool use_momentum = o.momentum != 0.0;
  parallel_for(n, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      float d = grad[i] + weight_decay * param[i];
      if (use_momentum) {
        buffer[i] = first ? d : momentum * buffer[i] + d;
        d = o.nesterov ? d + momentum * buffer[i] : buffer[i];
      }
      param[i] -= lr * d;
    }
  }, kOptimizerChunk);
}

void adam_step(float* param, float* m, float* v, const float* grad, int64_t n, const AdamOptions& o, int64_t step) {
  check_range("adam n", n, 0, INT64_MAX);
  check_range("adam step", step, 1, INT64_MAX);
  check_hyper("adam lr", o.lr, 0.0, HUGE_VAL);
  check_hyper("adam beta1", o.beta1, 0.0, 1.0, true);
  check_hyper("adam beta2", o.beta2, 0.0, 1.0, true);
  check_hyper("adam eps", o.eps, 0.0, HUGE_VAL);
  if (o.eps == 0.0) throw_range("adam eps must be > 0");
  check_hyper("adam weight decay", o.weight_decay, 0.0, HUGE_VAL);
  const double t = static_cast<double>(step);
  const float step_size = static_cast<float>(o.lr / (1.0 - std::pow(o.beta1, t)));
  const float sqrt_correction2 = static_cast<float>(std::sqrt(1.0 - std::pow(o.beta2, t)));
  const float one_minus_beta1 = static_cast<float>(1.0 - o.beta1);
  const float beta2 = static_cast<float>(o.beta2), one_minus_beta2 = static_cast<float>(1.0 - o.beta2);
  const float eps = static_cast<float>(o.eps);
  const float l2 = o.decoupled ? 0.0f : static_cast<float>(o.weight_decay);
  const float decay = o.decoupled ? static_cast<float>(1.0 - o.lr * o.weight_decay) : 1.0f;
  parallel_for(n, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const float g = grad[i] + l2 * param[i];
      param[i] *= decay;
      m[i] += one_minus_beta1 * (g - m[i]);
      v[i] = beta2 * v[i] + one_minus_beta2 * g * g;
      param[i] -= step_size * m[i] / (std::sqrt(v[i]) / sqrt_correction2 + eps);
    }
  }, kOptimizerChunk);
}

}  // namespace prunas::cpu
