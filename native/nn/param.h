// A trainable tensor with its gradient and optimizer state. `touched` marks
// tensors that took part in this step: only those are updated, so paths
// that were not sampled keep weights, momentum and weight decay untouched.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/philox.h"

namespace prunas::nn {

struct Param {
  std::string name;
  std::vector<float> value, grad, momentum;
  bool touched = false;
  bool momentum_started = false;

  explicit Param(std::string n, int64_t size, float fill = 0.0f)
      : name(std::move(n)), value(static_cast<size_t>(size), fill), grad(static_cast<size_t>(size), 0.0f) {}
  int64_t size() const { return static_cast<int64_t>(value.size()); }
  void init_normal(Philox& rng, float std) {
    for (float& v : value) v = rng.normal() * std;
  }
};

}  // namespace prunas::nn
