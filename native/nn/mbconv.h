// The MBConv branch: 1×1 expand (skipped when expand = 1) → BN → act →
// k×k depthwise stride s → BN → act → 1×1 project → BN. The residual
// shortcut belongs to the layer (nn/supernet.h), so `zero` can replace the
// branch and the layer becomes the identity.
#pragma once
#include <memory>
#include <vector>

#include "nn/branch_op.h"
#include "nn/conv_bn.h"

namespace prunas::nn {

class MBConv : public BranchOp {
 public:
  MBConv(const std::string& name, int64_t cin, int64_t cout, int64_t kernel, int64_t expand, int64_t stride, Act act,
         Philox& init);

  Geometry output_geometry(const Geometry& in) const override { return project_.output_geometry(depthwise_.output_geometry(in)); }
  ActivationPtr forward(const ActivationPtr& x, const Geometry& in, const Mode& mode, MemoryStats& stats) override;
  // dx; `output_dot` receives ⟨branch output, dy⟩ (see ConvBn::backward).
  ActivationPtr backward(const ActivationPtr& dy, MemoryStats& stats, bool weight_grads,
                         Result* output_dot = nullptr) override;
  void clear_saved() override;
  std::vector<ConvBn*> units() override;
  std::vector<Param*> params() override;

 private:
  std::unique_ptr<ConvBn> expand_;
  ConvBn depthwise_, project_;
};

}  // namespace prunas::nn
