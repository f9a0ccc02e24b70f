// The supernet: stem, layers of candidate ops, optional head, global average
// pooling and a linear classifier, all in native memory with their gradients
// and optimizer state. A step names one candidate per layer; only that path
// is computed and keeps activations (single / fixed mode).
#pragma once
#include <memory>
#include <vector>

#include "cpu/optim.h"
#include "nn/conv_bn.h"
#include "nn/mbconv.h"

namespace prunas::nn {

struct CandidatePlan {
  bool zero = false;
  int64_t kernel = 3, expand = 1;
  Act act = Act::Relu6;
};

struct LayerPlan {
  int64_t out = 0, stride = 1;
  std::vector<CandidatePlan> candidates;
};

struct Plan {
  int64_t height = 0, width = 0, channels = 0, classes = 0;
  int64_t stem_kernel = 3, stem_stride = 1, stem_out = 0;
  Act stem_act = Act::Relu6;
  std::vector<LayerPlan> layers;
  int64_t head_out = 0;  // 0: no head
  Act head_act = Act::Relu6;
};

struct StepResult {
  double loss = 0.0;
  int64_t correct = 0;
};

class MixedLayer {
 public:
  MixedLayer(const std::string& name, int64_t cin, const LayerPlan& plan, Philox& init);
  Geometry output_geometry(const Geometry& in) const { return {in.n, (in.h + stride_ - 1) / stride_, (in.w + stride_ - 1) / stride_, out_}; }
  ActivationPtr forward(const ActivationPtr& x, const Geometry& in, int choice, const Mode& mode, MemoryStats& stats);
  ActivationPtr backward(const ActivationPtr& dy, MemoryStats& stats);
  int candidates() const { return static_cast<int>(ops_.size()); }
  bool residual() const { return residual_; }
  std::vector<Param*> params(int candidate);
  std::vector<Param*> all_params();
  std::vector<ConvBn*> bn_units();

 private:
  int64_t out_, stride_;
  bool residual_;
  std::vector<std::unique_ptr<MBConv>> ops_;  // null for `zero`
  int active_ = -1;
};

class Supernet {
 public:
  Supernet(const Plan& plan, uint64_t seed);

  // One weight step on a batch: forward along `choices`, label-smoothed
  // cross-entropy, backward, SGD on the parameters of the chosen path.
  StepResult train_step(const float* x, const int32_t* labels, int64_t n, const int32_t* choices,
                        const cpu::SgdOptions& sgd, float label_smoothing);
  // Eval-mode forward (BN running statistics); loss without smoothing.
  StepResult evaluate(const float* x, const int32_t* labels, int64_t n, const int32_t* choices);
  // BN recalibration: one train-mode forward with momentum 1, so every BN on
  // the path takes this batch's statistics as its running statistics.
  StepResult recalibrate(const float* x, const int32_t* labels, int64_t n, const int32_t* choices);
  // Train-mode forward and backward without an update; returns the loss and
  // leaves the gradients in the parameters (tests, gradient checks).
  StepResult gradients(const float* x, const int32_t* labels, int64_t n, const int32_t* choices, float label_smoothing);

  void check_choices(const int32_t* choices, int64_t count) const;
  int layer_count() const { return static_cast<int>(layers_.size()); }
  int64_t input_size() const { return plan_.height * plan_.width * plan_.channels; }
  const Plan& plan() const { return plan_; }
  std::vector<Param*> all_params();
  // Every conv+BN unit in a fixed order (for saving BN running statistics).
  std::vector<ConvBn*> bn_units();
  MemoryStats& memory() { return memory_; }

 private:
  StepResult forward_backward(const float* x, const int32_t* labels, int64_t n, const int32_t* choices,
                              const Mode& mode, float label_smoothing, bool backward);

  Plan plan_;
  std::unique_ptr<ConvBn> stem_;
  std::vector<std::unique_ptr<MixedLayer>> layers_;
  std::unique_ptr<ConvBn> head_;
  Param classifier_weight_, classifier_bias_;
  MemoryStats memory_;
};

}  // namespace prunas::nn
