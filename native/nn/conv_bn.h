// Conv (dense, depthwise or pointwise) → BatchNorm → activation, forward and
// backward, with its parameters, BN running statistics and what the
// backward needs saved from the forward.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/philox.h"
#include "nn/activations.h"
#include "nn/param.h"

namespace prunas::nn {

// How a forward runs.
struct Mode {
  bool train = true;           // BN batch statistics (train) or running statistics (eval)
  bool update_running = true;  // train mode: also update the running statistics
  bool keep = true;            // save what backward needs; without it the unit works in one buffer
  float bn_momentum = 0.1f;
};

// What a backward computes besides the gradient it passes on.
struct Backward {
  bool weight_grads = true;  // write the parameters' gradients and mark them touched
  bool need_dx = true;       // the input gradient (not for the stem)
};

class ConvBn {
 public:
  ConvBn(const std::string& name, ConvKind kind, int64_t cin, int64_t cout, int64_t kernel, int64_t stride, Act act,
         Philox& init);

  Geometry output_geometry(const Geometry& in) const;
  ActivationPtr forward(const ActivationPtr& x, const Geometry& in, const Mode& mode, MemoryStats& stats);
  // Needs the forward's saved tensors; frees them and returns dx (null when
  // !need_dx). `output_dot`, when given, receives the result slot of ⟨y, dy⟩ for this unit's
  // output y (units without an activation only): with y = γ·x̂ + β it is
  // Σ_c γ_c·dγ_c + β_c·dβ_c, so no copy of y is needed.
  ActivationPtr backward(const ActivationPtr& dy, MemoryStats& stats, const Backward& what,
                         Result* output_dot = nullptr);
  void clear_saved();
  ConvShape shape(const Geometry& in) const;

  const std::string& name() const { return name_; }
  std::vector<Param*> params() { return {&weight_, &gamma_, &beta_}; }
  std::vector<float>& running_mean() { return running_mean_; }
  std::vector<float>& running_var() { return running_var_; }
  void reset_running_stats();

 private:
  std::string name_;
  ConvKind kind_;
  int64_t cin_, cout_, kernel_, stride_;
  Act act_;
  Param weight_, gamma_, beta_;
  std::vector<float> running_mean_, running_var_;
  // saved by forward for backward
  ActivationPtr x_, conv_out_, save_mean_, save_invstd_;
  Geometry in_{}, out_{};
  bool saved_train_ = true;
};

}  // namespace prunas::nn
