// A trainable tensor with its gradient and optimizer state. `touched` marks
// tensors that took part in this step: only those are updated, so paths
// that were not sampled keep weights, momentum, Adam moments and weight
// decay untouched (PyTorch skips parameters whose grad is None the same way).
// Optimizer state is allocated on the first update that needs it.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/philox.h"

namespace prunas::nn {

struct Param {
  std::string name;
  std::vector<float> value, grad;
  std::vector<float> momentum;       // SGD momentum buffer (empty until used)
  std::vector<float> adam_m, adam_v;  // Adam moments (empty until used)
  int64_t adam_steps = 0;             // updates these moments have seen (bias correction)
  bool touched = false;
  bool momentum_started = false;

  explicit Param(std::string n, int64_t size, float fill = 0.0f)
      : name(std::move(n)), value(static_cast<size_t>(size), fill), grad(static_cast<size_t>(size), 0.0f) {}
  int64_t size() const { return static_cast<int64_t>(value.size()); }
  void init_normal(Philox& rng, float std) {
    for (float& v : value) v = rng.normal() * std;
  }
  // Bytes held by the value, the gradient and the optimizer state.
  int64_t bytes() const {
    return static_cast<int64_t>(sizeof(float)) *
           static_cast<int64_t>(value.capacity() + grad.capacity() + momentum.capacity() + adam_m.capacity() +
                                adam_v.capacity());
  }
};

}  // namespace prunas::nn
