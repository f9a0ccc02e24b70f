#include "nn/mbconv.h"

namespace prunas::nn {

MBConv::MBConv(const std::string& name, int64_t cin, int64_t cout, int64_t kernel, int64_t expand, int64_t stride,
               Act act, Philox& init)
    : expand_(expand == 1 ? nullptr
                          : std::make_unique<ConvBn>(name + ".expand", ConvKind::Pointwise, cin, cin * expand, 1, 1,
                                                     act, init)),
      depthwise_(name + ".depthwise", ConvKind::Depthwise, cin * expand, cin * expand, kernel, stride, act, init),
      project_(name + ".project", ConvKind::Pointwise, cin * expand, cout, 1, 1, Act::None, init) {}

ActivationPtr MBConv::forward(const ActivationPtr& x, const Geometry& in, const Mode& mode, MemoryStats& stats) {
  ActivationPtr h = x;
  Geometry g = in;
  if (expand_) {
    h = expand_->forward(h, g, mode, stats);
    g = expand_->output_geometry(g);
  }
  h = depthwise_.forward(h, g, mode, stats);
  return project_.forward(h, depthwise_.output_geometry(g), mode, stats);
}

ActivationPtr MBConv::backward(const ActivationPtr& dy, MemoryStats& stats, bool weight_grads, Result* output_dot) {
  const Backward what{weight_grads, true};
  ActivationPtr d = project_.backward(dy, stats, what, output_dot);
  d = depthwise_.backward(d, stats, what);
  return expand_ ? expand_->backward(d, stats, what) : d;
}

void MBConv::clear_saved() {
  for (ConvBn* u : units()) u->clear_saved();
}

std::vector<ConvBn*> MBConv::units() {
  std::vector<ConvBn*> u;
  if (expand_) u.push_back(expand_.get());
  u.push_back(&depthwise_);
  u.push_back(&project_);
  return u;
}

std::vector<Param*> MBConv::params() {
  std::vector<Param*> all;
  for (ConvBn* u : units())
    for (Param* p : u->params()) all.push_back(p);
  return all;
}

}  // namespace prunas::nn
