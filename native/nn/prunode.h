// Prunode (PruNet): one MBConv branch of maximal hidden width H whose
// current hidden width c shrinks in steps of Δ during the search. Two nested
// channel masks, m_big = the first c channels and m_small = the first c − Δ,
// act on the hidden activation h after the depthwise unit's nonlinearity:
//
//   1×1 expand → BN → act → k×k depthwise → BN → act = h
//   → (z_big·m_big + z_small·m_small) ⊙ h → 1×1 project → BN
//
// One forward with a per-channel soft mask, so memory and compute do not
// double. Up to the project conv the branch is linear in the mask; the
// project BN is affine in eval mode, so there (with z_big + z_small = 1)
// the output is exactly z_big·f(x; m_big) + z_small·f(x; m_small). In train
// mode the project BN normalises the mixed projection with its batch
// statistics (the single-forward form). The backward returns
// ∂L/∂z_big = ⟨h, ∂L/∂(mask ⊙ h)⟩ over the first c channels and ∂L/∂z_small
// the same over the first c − Δ. shrink() drops the last Δ hidden channels:
// expand rows, depthwise and BN channels, project columns, their gradients,
// momentum, Adam moments and BN running statistics, reallocated at the new
// size so the memory is returned.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "nn/branch_op.h"

namespace prunas::nn {

class Prunode : public BranchOp {
 public:
  // hidden width H = cin·expand (expand ≥ 2, so the expand unit exists);
  // step Δ ≥ 1 and min_width ≥ 1 in hidden channels, min_width ≤ H.
  Prunode(const std::string& name, int64_t cin, int64_t cout, int64_t kernel, int64_t expand, int64_t stride, Act act,
          int64_t step, int64_t min_width, Philox& init);

  Geometry output_geometry(const Geometry& in) const override;
  ActivationPtr forward(const ActivationPtr& x, const Geometry& in, const Mode& mode, MemoryStats& stats) override;
  ActivationPtr backward(const ActivationPtr& dy, MemoryStats& stats, bool weight_grads,
                         Result* output_dot = nullptr) override;
  void clear_saved() override;
  std::vector<ConvBn*> units() override;
  std::vector<Param*> params() override;

  // The gates of the next forwards; (1, 0) runs the branch at width c.
  void set_gates(float big, float small);
  // The result slots of ∂L/∂z_big and ∂L/∂z_small (grad + 1) of the last backward
  // (kNotComputed when none since the last forward).
  Result grad() const { return grad_; }

  int64_t width() const { return width_; }
  int64_t small_width() const { return width_ - step_ > 0 ? width_ - step_ : 0; }
  int64_t step() const { return step_; }
  int64_t min_width() const { return min_width_; }
  int64_t max_width() const { return max_width_; }
  bool can_shrink() const { return width_ - step_ >= min_width_; }
  // c ← c − Δ (RangeError below the minimum width).
  void shrink();

 private:
  void build(int64_t width, Philox& init);

  std::string name_;
  int64_t cin_, cout_, kernel_, stride_;
  Act act_;
  int64_t step_, min_width_, max_width_, width_;
  std::unique_ptr<ConvBn> expand_, depthwise_, project_;
  float z_big_ = 1.0f, z_small_ = 0.0f;
  // saved by forward for backward
  ActivationPtr hidden_;  // h, unmasked
  bool masked_ = false;
  Result grad_ = kNotComputed;
};

}  // namespace prunas::nn
