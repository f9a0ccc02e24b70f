// A mixed layer: N candidate ops on one input, the layer's residual shortcut
// (stride 1 and cin = cout) outside them, as ProxylessNAS's MixedEdge inside
// a residual block: y = x + Σ_k z_k·o_k(x), z the gates. `zero` is o = 0, so
// a chosen zero makes the layer the identity.
//
// Modes (one per step, chosen by the caller; ALGORITHMS.md "Shared vocabulary"):
//   single/fixed  z = onehot(a): only o_a runs, keeps activations, gets gradients.
//   pair          as single, and the backward also returns g_k = ⟨o_k(x), ∂L/∂y⟩
//                 for k ∈ {a, b}; o_b runs in the backward on the saved input
//                 without keeping activations (batch statistics, running
//                 statistics untouched).
//   echo          as pair, for every live candidate k ≠ a.
//   sum           z = given weights: every candidate runs and keeps its
//                 activations; g_k = ⟨o_k, ∂L/∂y⟩ = ∂L/∂z_k for all k.
// g_a of the active path comes for free from its project BN's gradients
// (⟨γ·x̂ + β, dy⟩ = Σ γ·dγ + β·dβ). Weight gradients flow only through
// paths whose output enters y with a non-zero gate.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "nn/mbconv.h"
#include "nn/prunode.h"

namespace prunas::nn {

enum class PathMode { Single, Pair, Echo, Sum, Fixed };

struct CandidatePlan {
  bool zero = false;
  int64_t kernel = 3, expand = 1;
  Act act = Act::Relu6;
  // step > 0: a Prunode (nn/prunode.h) of maximal hidden width cin·expand,
  // shrinking by `prunode_step` channels down to `prunode_min` at the least
  int64_t prunode_step = 0, prunode_min = 0;
};

struct LayerPlan {
  int64_t out = 0, stride = 1;
  std::vector<CandidatePlan> candidates;
};

// One layer's part of a step's paths.
struct LayerPaths {
  int active = 0;                  // single, fixed, pair, echo
  int other = -1;                  // pair: the second path (−1: none)
  const float* weights = nullptr;  // sum: one gate per candidate
};

class MixedLayer {
 public:
  MixedLayer(const std::string& name, int64_t cin, const LayerPlan& plan, Philox& init);

  Geometry output_geometry(const Geometry& in) const {
    return {in.n, (in.h + stride_ - 1) / stride_, (in.w + stride_ - 1) / stride_, out_};
  }
  ActivationPtr forward(const ActivationPtr& x, const Geometry& in, PathMode mode, const LayerPaths& paths,
                        const Mode& how, MemoryStats& stats);
  // dx. `gates` is this layer's slice of the step's gate gradients (one per
  // candidate); entries of paths not evaluated are left as they are.
  ActivationPtr backward(const ActivationPtr& dy, MemoryStats& stats, bool weight_grads, Result* gates);
  void clear_saved();

  const std::string& name() const { return name_; }
  int candidates() const { return static_cast<int>(ops_.size()); }
  bool residual() const { return residual_; }
  bool removed() const { return removed_; }
  bool live(int candidate) const { return !removed_ && live_[candidate]; }
  bool zero(int candidate) const { return zero_[candidate]; }
  int live_count() const;
  // Frees the candidate's weights, BN state and optimizer state; its index
  // stays (choosing it is an error), so indices do not shift.
  void remove_candidate(int candidate);
  // The layer becomes its shortcut, the identity (only where one exists).
  void remove();

  std::vector<Param*> params(int candidate);
  std::vector<ConvBn*> units(int candidate);
  std::vector<Param*> all_params();
  std::vector<ConvBn*> bn_units();
  // The candidate as a Prunode; null when it is another op, zero or removed.
  Prunode* prunode(int candidate) const;

 private:
  ActivationPtr forward_sum(const ActivationPtr& x, const Geometry& in, const float* weights, const Mode& how,
                            MemoryStats& stats);
  ActivationPtr backward_sum(const ActivationPtr& dy, MemoryStats& stats, bool weight_grads, Result* gates);
  // ⟨o_k(x), dy⟩ with o_k run on the saved input without keeping anything.
  Result rerun_dot(int candidate, const ActivationPtr& dy, MemoryStats& stats);

  std::string name_;
  int64_t out_, stride_;
  bool residual_;
  std::vector<std::unique_ptr<BranchOp>> ops_;  // null for `zero` and removed candidates
  std::vector<bool> zero_, live_;
  bool removed_ = false;
  // saved by forward for backward
  PathMode mode_ = PathMode::Single;
  int active_ = -1, other_ = -1;
  std::vector<float> weights_;
  std::vector<ActivationPtr> outputs_;  // sum: every o_k
  ActivationPtr x_;                     // pair, echo: the input, for the re-runs
  Geometry in_{};
  bool train_ = true;
  bool kept_ = false;
};

}  // namespace prunas::nn
