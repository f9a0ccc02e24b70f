#include "nn/prunode.h"

#include <limits>

#include "core/error.h"

namespace prunas::nn {

namespace {

// The first rows2 × cols2 block of a row-major rows × cols matrix (empty stays empty).
std::vector<float> slice2d(const std::vector<float>& v, int64_t cols, int64_t rows2, int64_t cols2) {
  if (v.empty()) return {};
  std::vector<float> out(static_cast<size_t>(rows2 * cols2));
  for (int64_t r = 0; r < rows2; ++r)
    for (int64_t c = 0; c < cols2; ++c) out[static_cast<size_t>(r * cols2 + c)] = v[static_cast<size_t>(r * cols + c)];
  return out;
}

void slice_param(const Param& from, Param& to, int64_t cols, int64_t rows2, int64_t cols2) {
  to.value = slice2d(from.value, cols, rows2, cols2);
  to.grad = slice2d(from.grad, cols, rows2, cols2);
  to.momentum = slice2d(from.momentum, cols, rows2, cols2);
  to.adam_m = slice2d(from.adam_m, cols, rows2, cols2);
  to.adam_v = slice2d(from.adam_v, cols, rows2, cols2);
  to.adam_steps = from.adam_steps;
  to.momentum_started = from.momentum_started;
  to.touched = false;
}

// Copies a unit's weight (a rows × cols matrix cut to rows2 × cols2) and its
// per-channel BN state (cut to `channels`) into a unit built at the new size.
void slice_unit(ConvBn& from, ConvBn& to, int64_t cols, int64_t rows2, int64_t cols2, int64_t channels) {
  const auto a = from.params();
  const auto b = to.params();
  slice_param(*a[0], *b[0], cols, rows2, cols2);
  const auto old_channels = static_cast<int64_t>(from.running_mean().size());
  for (int i = 1; i < 3; ++i) slice_param(*a[i], *b[i], old_channels, 1, channels);
  to.running_mean() = slice2d(from.running_mean(), old_channels, 1, channels);
  to.running_var() = slice2d(from.running_var(), old_channels, 1, channels);
}

}  // namespace

Prunode::Prunode(const std::string& name, int64_t cin, int64_t cout, int64_t kernel, int64_t expand, int64_t stride,
                 Act act, int64_t step, int64_t min_width, Philox& init)
    : name_(name), cin_(cin), cout_(cout), kernel_(kernel), stride_(stride), act_(act), step_(step),
      min_width_(min_width), max_width_(cin * expand), width_(cin * expand) {
  if (expand < 2) throw_range(name + ": a prunode needs expand >= 2, got " + std::to_string(expand));
  if (step < 1 || step >= max_width_)
    throw_range(name + ": prunode step must be in [1, " + std::to_string(max_width_ - 1) + "], got " + std::to_string(step));
  if (min_width < 1 || min_width > max_width_)
    throw_range(name + ": prunode minimum width must be in [1, " + std::to_string(max_width_) + "], got " +
                std::to_string(min_width));
  // the same draws, in the same order, as an MBConv of expand H
  expand_ = std::make_unique<ConvBn>(name + ".expand", ConvKind::Pointwise, cin, width_, 1, 1, act, init);
  depthwise_ = std::make_unique<ConvBn>(name + ".depthwise", ConvKind::Depthwise, width_, width_, kernel, stride, act, init);
  project_ = std::make_unique<ConvBn>(name + ".project", ConvKind::Pointwise, width_, cout, 1, 1, Act::None, init);
}

Geometry Prunode::output_geometry(const Geometry& in) const {
  return project_->output_geometry(depthwise_->output_geometry(in));
}

void Prunode::set_gates(float big, float small) {
  z_big_ = big;
  z_small_ = small;
  grad_ = kNotComputed;  // a step that does not run the branch reports no gradient
}

ActivationPtr Prunode::forward(const ActivationPtr& x, const Geometry& in, const Mode& mode, MemoryStats& stats) {
  grad_ = kNotComputed;
  Geometry g = in;
  ActivationPtr a = expand_->forward(x, g, mode, stats);
  g = expand_->output_geometry(g);
  ActivationPtr h = depthwise_->forward(a, g, mode, stats);
  a.reset();
  g = depthwise_->output_geometry(g);
  // (1, 0) — or (1, anything) with no small channels — is the identity mask: h goes on as it is.
  masked_ = !(z_big_ == 1.0f && (z_small_ == 0.0f || small_width() == 0));
  ActivationPtr hm = h;
  if (masked_) {
    if (mode.keep) hm = make_activation(stats, g.size());
    stats.compute.channel_gate(hm->data(), h->data(), g.n * g.h * g.w, width_, small_width(), z_big_, z_small_);
  }
  if (mode.keep) hidden_ = h;
  return project_->forward(hm, g, mode, stats);
}

ActivationPtr Prunode::backward(const ActivationPtr& dy, MemoryStats& stats, bool weight_grads, Result* output_dot) {
  if (!hidden_) throw_error(name_ + ": backward without a kept forward");
  const Backward what{weight_grads, true};
  ActivationPtr d = project_->backward(dy, stats, what, output_dot);  // ∂L/∂(mask ⊙ h)
  const int64_t rows = d->size() / width_, small = small_width();
  grad_ = stats.compute.channel_gate_dots(hidden_->data(), d->data(), rows, width_, small);
  hidden_.reset();
  if (masked_) stats.compute.channel_gate(d->data(), d->data(), rows, width_, small, z_big_, z_small_);
  d = depthwise_->backward(d, stats, what);
  return expand_->backward(d, stats, what);
}

void Prunode::clear_saved() {
  hidden_.reset();
  for (ConvBn* u : units()) u->clear_saved();
}

std::vector<ConvBn*> Prunode::units() { return {expand_.get(), depthwise_.get(), project_.get()}; }

std::vector<Param*> Prunode::params() {
  std::vector<Param*> all;
  for (ConvBn* u : units())
    for (Param* p : u->params()) all.push_back(p);
  return all;
}

void Prunode::shrink() {
  if (!can_shrink())
    throw_range(name_ + ": width " + std::to_string(width_) + " cannot shrink by " + std::to_string(step_) +
                " below the minimum width " + std::to_string(min_width_));
  clear_saved();
  const int64_t c = width_, n = width_ - step_, taps = kernel_ * kernel_;
  Philox unused(0, 0);  // the new units' initial values are all overwritten
  auto e = std::make_unique<ConvBn>(name_ + ".expand", ConvKind::Pointwise, cin_, n, 1, 1, act_, unused);
  auto d = std::make_unique<ConvBn>(name_ + ".depthwise", ConvKind::Depthwise, n, n, kernel_, stride_, act_, unused);
  auto p = std::make_unique<ConvBn>(name_ + ".project", ConvKind::Pointwise, n, cout_, 1, 1, Act::None, unused);
  slice_unit(*expand_, *e, cin_, n, cin_, n);         // weight [c][cin] → [n][cin]
  slice_unit(*depthwise_, *d, c, taps, n, n);         // weight [k·k][c] → [k·k][n]
  slice_unit(*project_, *p, c, cout_, n, cout_);      // weight [cout][c] → [cout][n]
  expand_ = std::move(e);
  depthwise_ = std::move(d);
  project_ = std::move(p);
  width_ = n;
}

}  // namespace prunas::nn
