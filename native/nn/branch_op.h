// What a mixed layer runs as a candidate: a branch from the layer's input to
// its output (MBConv, Prunode). The layer owns the residual and the gates.
#pragma once
#include <vector>

#include "nn/conv_bn.h"

namespace prunas::nn {

class BranchOp {
 public:
  virtual ~BranchOp() = default;
  virtual Geometry output_geometry(const Geometry& in) const = 0;
  virtual ActivationPtr forward(const ActivationPtr& x, const Geometry& in, const Mode& mode, MemoryStats& stats) = 0;
  // dx; `output_dot` receives ⟨branch output, dy⟩ (see ConvBn::backward).
  virtual ActivationPtr backward(const ActivationPtr& dy, MemoryStats& stats, bool weight_grads,
                                 Result* output_dot = nullptr) = 0;
  virtual void clear_saved() = 0;
  virtual std::vector<ConvBn*> units() = 0;
  virtual std::vector<Param*> params() = 0;
};

}  // namespace prunas::nn
