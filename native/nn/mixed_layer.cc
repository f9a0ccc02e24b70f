#include "nn/mixed_layer.h"

#include <algorithm>

#include "core/error.h"

namespace prunas::nn {

MixedLayer::MixedLayer(const std::string& name, int64_t cin, const LayerPlan& plan, Philox& init)
    : name_(name), out_(plan.out), stride_(plan.stride), residual_(plan.stride == 1 && cin == plan.out) {
  if (plan.candidates.empty()) throw_range(name + ": a layer needs at least one candidate");
  for (size_t i = 0; i < plan.candidates.size(); ++i) {
    const CandidatePlan& c = plan.candidates[i];
    if (c.zero && !residual_) throw_range(name + ": zero candidate needs a residual (stride 1, in = out)");
    const std::string op_name = name + ".op" + std::to_string(i);
    if (c.zero)
      ops_.push_back(nullptr);
    else if (c.prunode_step > 0)
      ops_.push_back(std::make_unique<Prunode>(op_name, cin, plan.out, c.kernel, c.expand, plan.stride, c.act,
                                               c.prunode_step, c.prunode_min, init));
    else
      ops_.push_back(std::make_unique<MBConv>(op_name, cin, plan.out, c.kernel, c.expand, plan.stride, c.act, init));
    zero_.push_back(c.zero);
    live_.push_back(true);
  }
}

ActivationPtr MixedLayer::forward(const ActivationPtr& x, const Geometry& in, PathMode mode, const LayerPaths& paths,
                                  const Mode& how, MemoryStats& stats) {
  mode_ = mode;
  in_ = in;
  train_ = how.train;
  kept_ = how.keep;
  if (removed_) return x;
  if (mode == PathMode::Sum) return forward_sum(x, in, paths.weights, how, stats);
  active_ = paths.active;
  other_ = mode == PathMode::Pair ? paths.other : -1;
  if (how.keep && (mode == PathMode::Pair || mode == PathMode::Echo)) x_ = x;
  BranchOp* op = ops_[active_].get();
  if (!op) return x;  // zero: the layer is its shortcut
  ActivationPtr y = op->forward(x, in, how, stats);
  if (residual_) stats.compute.add(y->data(), y->data(), x->data(), y->size());
  return y;
}

ActivationPtr MixedLayer::forward_sum(const ActivationPtr& x, const Geometry& in, const float* weights,
                                      const Mode& how, MemoryStats& stats) {
  Compute& k = stats.compute;
  weights_.assign(weights, weights + candidates());
  const Geometry og = output_geometry(in);
  auto y = make_activation(stats, og.size());
  if (residual_)
    k.copy(y->data(), x->data(), og.size());
  else
    k.zero(y->data(), og.size());
  outputs_.assign(ops_.size(), nullptr);
  for (int c = 0; c < candidates(); ++c) {
    if (!ops_[c]) continue;  // zero or removed: o_c = 0
    if (!how.keep && weights_[c] == 0.0f) continue;  // no backward: a zero gate needs no o_c
    Mode m = how;
    m.keep = how.keep && weights_[c] != 0.0f;  // a zero gate sends no gradient into o_c
    ActivationPtr o = ops_[c]->forward(x, in, m, stats);
    k.axpy(y->data(), weights_[c], o->data(), og.size());
    if (how.keep) outputs_[c] = std::move(o);  // for ⟨o_k, dy⟩
  }
  return y;
}

Result MixedLayer::rerun_dot(int candidate, const ActivationPtr& dy, MemoryStats& stats) {
  if (!ops_[candidate]) return kZeroResult;  // zero
  Mode m;
  m.train = train_;
  m.update_running = false;
  m.keep = false;
  ActivationPtr o = ops_[candidate]->forward(x_, in_, m, stats);
  return stats.compute.dot(o->data(), dy->data(), o->size());
}

ActivationPtr MixedLayer::backward(const ActivationPtr& dy, MemoryStats& stats, bool weight_grads, Result* gates) {
  if (!kept_) throw_error(name_ + ": backward without a kept forward");
  kept_ = false;
  if (removed_) return dy;
  if (mode_ == PathMode::Sum) return backward_sum(dy, stats, weight_grads, gates);
  // The other paths first, while only dy and the active path's saved tensors are alive.
  if (mode_ == PathMode::Pair && other_ >= 0) gates[other_] = rerun_dot(other_, dy, stats);
  if (mode_ == PathMode::Echo)
    for (int k = 0; k < candidates(); ++k)
      if (k != active_ && live_[k]) gates[k] = rerun_dot(k, dy, stats);
  x_.reset();
  BranchOp* op = ops_[active_].get();
  if (!op) {
    gates[active_] = kZeroResult;
    return dy;
  }
  ActivationPtr dx = op->backward(dy, stats, weight_grads, &gates[active_]);
  if (residual_) stats.compute.add(dx->data(), dx->data(), dy->data(), dx->size());
  return dx;
}

ActivationPtr MixedLayer::backward_sum(const ActivationPtr& dy, MemoryStats& stats, bool weight_grads,
                                       Result* gates) {
  Compute& k = stats.compute;
  auto dx = make_activation(stats, in_.size());
  if (residual_)
    k.copy(dx->data(), dy->data(), dx->size());
  else
    k.zero(dx->data(), dx->size());
  for (int c = 0; c < candidates(); ++c) {
    if (!live_[c]) continue;
    if (!ops_[c]) {
      gates[c] = kZeroResult;
      continue;
    }
    gates[c] = k.dot(outputs_[c]->data(), dy->data(), dy->size());
    outputs_[c].reset();
    if (weights_[c] == 0.0f) continue;
    auto dyc = make_activation(stats, dy->size());
    k.scale(dyc->data(), weights_[c], dy->data(), dy->size());
    ActivationPtr dxc = ops_[c]->backward(dyc, stats, weight_grads);
    dyc.reset();
    k.axpy(dx->data(), 1.0f, dxc->data(), dx->size());
  }
  outputs_.clear();
  return dx;
}

void MixedLayer::clear_saved() {
  x_.reset();
  outputs_.clear();
  kept_ = false;
  for (auto& op : ops_)
    if (op) op->clear_saved();
}

int MixedLayer::live_count() const {
  if (removed_) return 0;
  return static_cast<int>(std::count(live_.begin(), live_.end(), true));
}

void MixedLayer::remove_candidate(int candidate) {
  if (removed_) throw_range(name_ + " was removed");
  if (candidate < 0 || candidate >= candidates())
    throw_range(name_ + ": candidate " + std::to_string(candidate) + " is outside [0, " +
                std::to_string(candidates()) + ")");
  if (!live_[candidate]) throw_range(name_ + ": candidate " + std::to_string(candidate) + " was already removed");
  if (live_count() == 1)
    throw_range(name_ + ": candidate " + std::to_string(candidate) +
                " is the last one; remove the layer instead (where it has a residual)");
  clear_saved();
  ops_[candidate].reset();
  live_[candidate] = false;
}

void MixedLayer::remove() {
  if (removed_) throw_range(name_ + " was already removed");
  if (!residual_) throw_range(name_ + " has no residual (stride 2 or in ≠ out): it cannot become the identity");
  clear_saved();
  for (size_t k = 0; k < ops_.size(); ++k) {
    ops_[k].reset();
    live_[k] = false;
  }
  removed_ = true;
}

std::vector<Param*> MixedLayer::params(int candidate) {
  return ops_[candidate] ? ops_[candidate]->params() : std::vector<Param*>{};
}

std::vector<ConvBn*> MixedLayer::units(int candidate) {
  return ops_[candidate] ? ops_[candidate]->units() : std::vector<ConvBn*>{};
}

Prunode* MixedLayer::prunode(int candidate) const { return dynamic_cast<Prunode*>(ops_[candidate].get()); }

std::vector<Param*> MixedLayer::all_params() {
  std::vector<Param*> all;
  for (int k = 0; k < candidates(); ++k)
    for (Param* p : params(k)) all.push_back(p);
  return all;
}

std::vector<ConvBn*> MixedLayer::bn_units() {
  std::vector<ConvBn*> all;
  for (int k = 0; k < candidates(); ++k)
    for (ConvBn* u : units(k)) all.push_back(u);
  return all;
}

}  // namespace prunas::nn
