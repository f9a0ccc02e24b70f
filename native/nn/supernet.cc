#include "nn/supernet.h"

#include <cstring>
#include <string>

#include "core/error.h"
#include "cpu/activation.h"
#include "cpu/linear.h"
#include "cpu/loss.h"
#include "cpu/pool.h"
#include "data/dataset.h"

namespace prunas::nn {

MixedLayer::MixedLayer(const std::string& name, int64_t cin, const LayerPlan& plan, Philox& init)
    : out_(plan.out), stride_(plan.stride), residual_(plan.stride == 1 && cin == plan.out) {
  for (size_t i = 0; i < plan.candidates.size(); ++i) {
    const CandidatePlan& c = plan.candidates[i];
    if (c.zero && !residual_) throw_range(name + ": zero candidate needs a residual (stride 1, in = out)");
    ops_.push_back(c.zero ? nullptr
                          : std::make_unique<MBConv>(name + ".op" + std::to_string(i), cin, plan.out, c.kernel,
                                                     c.expand, plan.stride, c.act, init));
  }
}

ActivationPtr MixedLayer::forward(const ActivationPtr& x, const Geometry& in, int choice, const Mode& mode,
                                  MemoryStats& stats) {
  active_ = choice;
  MBConv* op = ops_[choice].get();
  if (!op) return x;  // zero branch: the layer is its shortcut
  ActivationPtr y = op->forward(x, in, mode, stats);
  if (residual_) cpu::add_forward(y->data(), y->data(), x->data(), y->size());
  return y;
}

ActivationPtr MixedLayer::backward(const ActivationPtr& dy, MemoryStats& stats) {
  MBConv* op = ops_[active_].get();
  if (!op) return dy;
  ActivationPtr dx = op->backward(dy, stats);
  if (residual_) cpu::add_forward(dx->data(), dx->data(), dy->data(), dx->size());
  return dx;
}

std::vector<Param*> MixedLayer::params(int candidate) {
  return ops_[candidate] ? ops_[candidate]->params() : std::vector<Param*>{};
}

std::vector<Param*> MixedLayer::all_params() {
  std::vector<Param*> all;
  for (int i = 0; i < candidates(); ++i)
    for (Param* p : params(i)) all.push_back(p);
  return all;
}

std::vector<ConvBn*> MixedLayer::bn_units() {
  std::vector<ConvBn*> all;
  for (auto& op : ops_)
    if (op)
      for (ConvBn* u : op->units()) all.push_back(u);
  return all;
}

Supernet::Supernet(const Plan& plan, uint64_t seed)
    : plan_(plan), classifier_weight_("classifier.weight", 0), classifier_bias_("classifier.bias", 0) {
  Philox init(seed, kInitStream);
  stem_ = std::make_unique<ConvBn>("stem", ConvKind::Dense, plan.channels, plan.stem_out, plan.stem_kernel,
                                   plan.stem_stride, plan.stem_act, init);
  int64_t channels = plan.stem_out;
  for (size_t i = 0; i < plan.layers.size(); ++i) {
    layers_.push_back(std::make_unique<MixedLayer>("layers." + std::to_string(i), channels, plan.layers[i], init));
    channels = plan.layers[i].out;
  }
  if (plan.head_out > 0) {
    head_ = std::make_unique<ConvBn>("head", ConvKind::Pointwise, channels, plan.head_out, 1, 1, plan.head_act, init);
    channels = plan.head_out;
  }
  classifier_weight_ = Param("classifier.weight", plan.classes * channels);
  classifier_weight_.init_normal(init, 0.01f);
  classifier_bias_ = Param("classifier.bias", plan.classes);
}

void Supernet::check_choices(const int32_t* choices, int64_t count) const {
  if (count != layer_count())
    throw_range("choices must have " + std::to_string(layer_count()) + " entries, got " + std::to_string(count));
  for (int i = 0; i < layer_count(); ++i)
    if (choices[i] < 0 || choices[i] >= layers_[i]->candidates())
      throw_range("choices[" + std::to_string(i) + "] = " + std::to_string(choices[i]) + " is outside [0, " +
                  std::to_string(layers_[i]->candidates()) + ")");
}

StepResult Supernet::forward_backward(const float* x, const int32_t* labels, int64_t n, const int32_t* choices,
                                      const Mode& mode, float label_smoothing, bool backward) {
  check_choices(choices, layer_count());
  memory_.reset_peak();
  Geometry g{n, plan_.height, plan_.width, plan_.channels};
  auto input = make_activation(memory_, g.size());
  std::memcpy(input->data(), x, sizeof(float) * g.size());

  ActivationPtr h = stem_->forward(input, g, mode, memory_);
  input.reset();
  g = stem_->output_geometry(g);
  for (int i = 0; i < layer_count(); ++i) {
    h = layers_[i]->forward(h, g, choices[i], mode, memory_);
    g = layers_[i]->output_geometry(g);
  }
  if (head_) {
    h = head_->forward(h, g, mode, memory_);
    g = head_->output_geometry(g);
  }
  const int64_t features = g.c, classes = plan_.classes;
  auto pooled = make_activation(memory_, n * features);
  cpu::global_avg_pool_forward(pooled->data(), h->data(), n, g.h * g.w, features);
  auto logits = make_activation(memory_, n * classes);
  cpu::linear_forward(logits->data(), pooled->data(), classifier_weight_.value.data(), classifier_bias_.value.data(), n,
                      features, classes);
  auto dlogits = backward ? make_activation(memory_, n * classes) : nullptr;
  StepResult r;
  r.loss = cpu::softmax_cross_entropy(dlogits ? dlogits->data() : nullptr, &r.correct, logits->data(), labels, n,
                                      classes, label_smoothing);
  if (!backward) return r;

  auto dpooled = make_activation(memory_, n * features);
  cpu::linear_backward(dpooled->data(), classifier_weight_.grad.data(), classifier_bias_.grad.data(), dlogits->data(),
                       pooled->data(), classifier_weight_.value.data(), n, features, classes);
  classifier_weight_.touched = classifier_bias_.touched = true;
  auto dh = make_activation(memory_, g.size());
  cpu::global_avg_pool_backward(dh->data(), dpooled->data(), n, g.h * g.w, features);
  h.reset();
  if (head_) dh = head_->backward(dh, memory_);
  for (int i = layer_count() - 1; i >= 0; --i) dh = layers_[i]->backward(dh, memory_);
  stem_->backward(dh, memory_);
  return r;
}

StepResult Supernet::train_step(const float* x, const int32_t* labels, int64_t n, const int32_t* choices,
                                const cpu::SgdOptions& sgd, float label_smoothing) {
  const StepResult r = forward_backward(x, labels, n, choices, Mode{}, label_smoothing, true);
  for (Param* p : all_params()) {
    if (!p->touched) continue;
    if (sgd.momentum != 0.0f && p->momentum.empty()) p->momentum.assign(p->value.size(), 0.0f);
    cpu::sgd_step(p->value.data(), p->momentum.empty() ? nullptr : p->momentum.data(), p->grad.data(), p->size(), sgd,
                  !p->momentum_started);
    p->momentum_started = sgd.momentum != 0.0f;
    p->touched = false;
  }
  return r;
}

StepResult Supernet::evaluate(const float* x, const int32_t* labels, int64_t n, const int32_t* choices) {
  Mode mode;
  mode.train = false;
  mode.keep = false;
  return forward_backward(x, labels, n, choices, mode, 0.0f, false);
}

StepResult Supernet::recalibrate(const float* x, const int32_t* labels, int64_t n, const int32_t* choices) {
  Mode mode;
  mode.keep = false;
  mode.bn_momentum = 1.0f;
  return forward_backward(x, labels, n, choices, mode, 0.0f, false);
}

StepResult Supernet::gradients(const float* x, const int32_t* labels, int64_t n, const int32_t* choices,
                               float label_smoothing) {
  Mode mode;
  mode.update_running = false;
  const StepResult r = forward_backward(x, labels, n, choices, mode, label_smoothing, true);
  for (Param* p : all_params()) p->touched = false;
  return r;
}

std::vector<Param*> Supernet::all_params() {
  std::vector<Param*> all = stem_->params();
  for (auto& l : layers_)
    for (Param* p : l->all_params()) all.push_back(p);
  if (head_)
    for (Param* p : head_->params()) all.push_back(p);
  all.push_back(&classifier_weight_);
  all.push_back(&classifier_bias_);
  return all;
}

}  // namespace prunas::nn

namespace prunas::nn {

std::vector<ConvBn*> Supernet::bn_units() {
  std::vector<ConvBn*> all{stem_.get()};
  for (auto& l : layers_)
    for (ConvBn* u : l->bn_units()) all.push_back(u);
  if (head_) all.push_back(head_.get());
  return all;
}

}  // namespace prunas::nn
