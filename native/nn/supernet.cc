#include "nn/supernet.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "core/error.h"
#include "data/dataset.h"

namespace prunas::nn {

const char* mode_name(PathMode mode) {
  switch (mode) {
    case PathMode::Single: return "single";
    case PathMode::Pair: return "pair";
    case PathMode::Echo: return "echo";
    case PathMode::Sum: return "sum";
    case PathMode::Fixed: return "fixed";
  }
  return "?";
}

Supernet::Supernet(const Plan& plan, uint64_t seed, const std::string& device, const std::string& precision,
                   bool profile)
    : plan_(plan),
      compute_(profile ? make_profiled_compute(make_compute(device, precision)) : make_compute(device, precision)),
      memory_(*compute_),
      classifier_weight_("classifier.weight", 0),
      classifier_bias_("classifier.bias", 0) {
  // Every tensor draws from one init stream in construction order: the same
  // seed gives the same weights whatever the thread count.
  Philox init(seed, kInitStream);
  if (!plan.block)
    stem_ = std::make_unique<ConvBn>("stem", ConvKind::Dense, plan.channels, plan.stem_out, plan.stem_kernel,
                                     plan.stem_stride, plan.stem_act, init);
  int64_t channels = plan.block ? plan.channels : plan.stem_out;
  offsets_.push_back(0);
  for (size_t i = 0; i < plan.layers.size(); ++i) {
    layers_.push_back(std::make_unique<MixedLayer>("layers." + std::to_string(i), channels, plan.layers[i], init));
    channels = plan.layers[i].out;
    offsets_.push_back(offsets_.back() + static_cast<int64_t>(plan.layers[i].candidates.size()));
  }
  if (plan.head_out > 0) {
    head_ = std::make_unique<ConvBn>("head", ConvKind::Pointwise, channels, plan.head_out, 1, 1, plan.head_act, init);
    channels = plan.head_out;
  }
  classifier_weight_ = Param("classifier.weight", plan.classes * channels);
  classifier_weight_.init_normal(init, 0.01f);
  classifier_bias_ = Param("classifier.bias", plan.classes);
}

// The saved activations go back to the device's allocator, which other jobs
// on that device share: under the device's mutex (compute_ takes it again
// when it is destroyed, after this body).
Supernet::~Supernet() {
  try {
    auto lock = compute_->enter();
    clear_saved();
  } catch (...) {
    // a failing device at exit: the memory goes with the process
  }
}

void Supernet::sync_host() {
  auto lock = compute_->enter();
  if (host_current_) return;
  compute_->to_host();
  host_current_ = true;
}

void Supernet::host_changed() {
  auto lock = compute_->enter();
  compute_->drop_mirrors();
  host_current_ = true;
}

void Supernet::release_cache() {
  auto lock = compute_->enter();
  compute_->empty_cache();
}

// ---- steps ----

StepResult Supernet::weight_step(const BatchSource& batch, const Paths& paths, const Optimizer& opt,
                                 float label_smoothing) {
  auto lock = compute_->enter();
  check_paths(paths);
  memory_.reset_peak();
  std::vector<int32_t> labels;
  ActivationPtr input = fill(batch, 0, batch.size, labels);
  Run run;
  run.backward = run.weight_grads = true;
  run.label_smoothing = label_smoothing;
  return pass_guarded(std::move(input), labels.data(), batch.size, paths, run, nullptr, &opt);
}

StepResult Supernet::arch_step(const BatchSource& batch, const Paths& paths, float label_smoothing,
                               bool update_running) {
  auto lock = compute_->enter();
  check_paths(paths);
  memory_.reset_peak();
  std::vector<int32_t> labels;
  ActivationPtr input = fill(batch, 0, batch.size, labels);
  Run run;
  run.mode.update_running = update_running;
  run.backward = true;
  run.label_smoothing = label_smoothing;
  return pass_guarded(std::move(input), labels.data(), batch.size, paths, run, nullptr);
}

StepResult Supernet::gradients(const BatchSource& batch, const Paths& paths, float label_smoothing) {
  auto lock = compute_->enter();
  check_paths(paths);
  memory_.reset_peak();
  std::vector<int32_t> labels;
  ActivationPtr input = fill(batch, 0, batch.size, labels);
  Run run;
  run.mode.update_running = false;
  run.backward = run.weight_grads = true;
  run.label_smoothing = label_smoothing;
  StepResult r = pass_guarded(std::move(input), labels.data(), batch.size, paths, run, nullptr);
  for (Param* p : all_params()) p->touched = false;
  return r;
}

StepResult Supernet::evaluate(const BatchSource& source, const Paths& paths, int64_t batch_size, float* logits) {
  auto lock = compute_->enter();
  check_paths(paths);
  memory_.reset_peak();
  Run run;
  run.mode.train = false;
  run.mode.keep = false;
  StepResult total;
  total.per_class.assign(static_cast<size_t>(plan_.classes), 0);
  std::vector<float> local;
  double loss_sum = 0.0;
  for (int64_t begin = 0; begin < source.size; begin += batch_size) {
    const int64_t n = std::min(batch_size, source.size - begin);
    std::vector<int32_t> labels;
    ActivationPtr input = fill(source, begin, n, labels);
    float* out = logits ? logits + begin * plan_.classes : nullptr;
    if (!out) {
      local.resize(static_cast<size_t>(n * plan_.classes));
      out = local.data();
    }
    const StepResult r = pass_guarded(std::move(input), labels.data(), n, paths, run, out);
    loss_sum += r.loss * static_cast<double>(n);
    total.correct += r.correct;
    total.count += n;
    total.regression += r.regression;
    for (int64_t i = 0; i < n && !plan_.block; ++i) {
      const float* z = out + i * plan_.classes;
      // the loss kernel's rule: the first maximum
      int64_t best = 0;
      for (int64_t j = 1; j < plan_.classes; ++j)
        if (z[j] > z[best]) best = j;
      if (best == labels[i]) ++total.per_class[labels[i]];
    }
  }
  total.loss = total.count ? loss_sum / static_cast<double>(total.count) : 0.0;
  return total;
}

StepResult Supernet::recalibrate(const BatchSource& source, const Paths& paths, int64_t batch_size) {
  auto lock = compute_->enter();
  check_paths(paths);
  memory_.reset_peak();
  std::vector<ConvBn*> units;
  if (stem_) units.push_back(stem_.get());
  for (int l = 0; l < layer_count(); ++l) {
    MixedLayer& layer = *layers_[l];
    if (layer.removed()) continue;
    for (int k = 0; k < layer.candidates(); ++k) {
      const bool used = paths.mode == PathMode::Sum ? layer.live(k) && paths.weights[offsets_[l] + k] != 0.0f
                                                    : k == paths.active[l];
      if (used)
        for (ConvBn* u : layer.units(k)) units.push_back(u);
    }
  }
  if (head_) units.push_back(head_.get());
  for (ConvBn* u : units) {
    u->reset_running_stats();
    // the device copies too (a no-op on the CPU, where they are the vectors)
    for (std::vector<float>* stats : {&u->running_mean(), &u->running_var()})
      compute_->upload(compute_->mirror(*stats), stats->data(), static_cast<int64_t>(stats->size()),
                       Compute::Storage::Float32);
  }
  Run run;
  run.mode.keep = false;
  StepResult total;
  double loss_sum = 0.0;
  int64_t k = 0;
  for (int64_t begin = 0; begin < source.size; begin += batch_size, ++k) {
    const int64_t n = std::min(batch_size, source.size - begin);
    std::vector<int32_t> labels;
    ActivationPtr input = fill(source, begin, n, labels);
    run.mode.bn_momentum = 1.0f / static_cast<float>(k + 1);
    const StepResult r = pass_guarded(std::move(input), labels.data(), n, paths, run, nullptr);
    loss_sum += r.loss * static_cast<double>(n);
    total.correct += r.correct;
    total.count += n;
  }
  total.loss = total.count ? loss_sum / static_cast<double>(total.count) : 0.0;
  return total;
}

// ---- one pass ----

ActivationPtr Supernet::fill(const BatchSource& source, int64_t begin, int64_t count, std::vector<int32_t>& labels) {
  if (count < 1) throw_range("a batch needs at least one sample");
  auto input = make_activation(memory_, count * input_size());
  labels.assign(static_cast<size_t>(count), 0);
  if (compute_->on_host()) {
    source.fill(begin, count, input->data(), labels.data());
#ifdef PRUNAS_WITH_CUDA
  } else if (source.fill_device && compute_->cuda_device() >= 0) {
    // the device batch is assembled in float32, then stored as activations are
    ActivationPtr assembled = compute_->data_bytes() == 4 ? input : make_float32(memory_, input->size());
    source.fill_device(compute_->cuda_device(), begin, count, assembled->data(), labels.data());
    if (assembled != input) compute_->from_float32(input->data(), assembled->data(), input->size());
#endif
  } else {
    std::vector<float> staged(static_cast<size_t>(count * input_size()));
    source.fill(begin, count, staged.data(), labels.data());
    compute_->upload(input->data(), staged.data(), static_cast<int64_t>(staged.size()));
  }
  if (plan_.block) {
    target_.clear();  // none: features only
    if (source.fill_target) {
      target_.resize(static_cast<size_t>(count * output_size()));
      source.fill_target(begin, count, target_.data());
    }
    return input;
  }
  for (int64_t i = 0; i < count; ++i)
    if (labels[i] < 0 || labels[i] >= plan_.classes)
      throw_range("label " + std::to_string(labels[i]) + " of sample " + std::to_string(begin + i) +
                  " is outside [0, " + std::to_string(plan_.classes) + ")");
  return input;
}

StepResult Supernet::pass_guarded(ActivationPtr input, const int32_t* labels, int64_t n, const Paths& paths,
                                  const Run& run, float* logits, const Optimizer* opt) {
  host_current_ = false;  // the pass (and the optimizer after it) may write the device copies
  try {
    set_prunode_gates(paths);
    compute_->begin_results();
    PassResults slots;
    StepResult r = pass(std::move(input), labels, n, paths, run, logits, slots);
    if (opt) optimizer_step(*opt);  // queued behind the pass, so a device keeps working while the host waits
    const std::vector<double> results = compute_->read_results();
    if (slots.loss != kNotComputed) {
      r.loss = result_value(results, slots.loss);
      r.correct = static_cast<int64_t>(result_value(results, slots.loss + 1));
    }
    if (slots.regression != kNotComputed) {
      RegressionSums& s = r.regression;
      s.squared = result_value(results, slots.regression);
      s.absolute = result_value(results, slots.regression + 1);
      s.target = result_value(results, slots.regression + 2);
      s.target_squared = result_value(results, slots.regression + 3);
    }
    if (run.backward) {
      r.gates.resize(slots.gates.size());
      for (size_t j = 0; j < slots.gates.size(); ++j) r.gates[j] = result_value(results, slots.gates[j]);
      collect_prunode_grads(r, results);
    }
    return r;
  } catch (...) {
    clear_saved();  // nothing stays pinned by a failed step, nothing half-computed gets applied
    for (Param* p : all_params()) p->touched = false;
    throw;
  }
}

StepResult Supernet::pass(ActivationPtr input, const int32_t* labels, int64_t n, const Paths& paths, const Run& run,
                          float* logits_out, PassResults& results) {
  Mode mode = run.mode;
  mode.keep = run.backward;
  Geometry g{n, plan_.height, plan_.width, plan_.channels};
  Mode stem_mode = mode;
  stem_mode.keep = run.backward && run.weight_grads;  // the image needs no gradient
  ActivationPtr h = std::move(input);
  if (stem_) {
    h = stem_->forward(h, g, stem_mode, memory_);
    g = stem_->output_geometry(g);
  }
  for (int l = 0; l < layer_count(); ++l) {
    LayerPaths lp;
    if (paths.mode == PathMode::Sum) {
      lp.weights = paths.weights.data() + offsets_[l];
    } else {
      lp.active = paths.active[l];
      lp.other = paths.mode == PathMode::Pair ? paths.other[l] : -1;
    }
    h = layers_[l]->forward(h, g, paths.mode, lp, mode, memory_);
    g = layers_[l]->output_geometry(g);
  }
  if (plan_.block) {
    ActivationPtr dh;
    StepResult r = regression_loss(h, g, run.backward, &dh, results);
    if (!run.backward) return r;
    h.reset();
    results.gates.assign(static_cast<size_t>(candidate_total()), kNotComputed);
    for (int l = layer_count() - 1; l >= 0; --l)
      dh = layers_[l]->backward(dh, memory_, run.weight_grads, results.gates.data() + offsets_[l]);
    return r;
  }
  if (head_) {
    h = head_->forward(h, g, mode, memory_);
    g = head_->output_geometry(g);
  }
  Compute& k = *compute_;
  const int64_t features = g.c, classes = plan_.classes;
  auto pooled = make_activation(memory_, n * features);
  k.pool_forward(pooled->data(), h->data(), n, g.h * g.w, features);
  auto logits = make_activation(memory_, n * classes);
  const float* classifier = k.mirror(classifier_weight_.value);
  k.linear_forward(logits->data(), pooled->data(), classifier, k.mirror(classifier_bias_.value), n, features, classes);
  if (logits_out) k.download(logits_out, logits->data(), n * classes);
  auto dlogits = run.backward ? make_activation(memory_, n * classes) : nullptr;
  StepResult r;
  r.count = n;
  results.loss = k.softmax_cross_entropy(dlogits ? dlogits->data() : nullptr, logits->data(), labels, n, classes,
                                         run.label_smoothing);
  if (!run.backward) return r;

  results.gates.assign(static_cast<size_t>(candidate_total()), kNotComputed);
  const bool wg = run.weight_grads;
  auto dpooled = make_activation(memory_, n * features);
  k.linear_backward(dpooled->data(), wg ? k.mirror(classifier_weight_.grad) : nullptr,
                    wg ? k.mirror(classifier_bias_.grad) : nullptr, dlogits->data(), pooled->data(), classifier, n,
                    features, classes);
  if (wg) classifier_weight_.touched = classifier_bias_.touched = true;
  dlogits.reset();
  logits.reset();
  pooled.reset();
  auto dh = make_activation(memory_, g.size());
  k.pool_backward(dh->data(), dpooled->data(), n, g.h * g.w, features);
  dpooled.reset();
  h.reset();
  if (head_) dh = head_->backward(dh, memory_, Backward{wg, true});
  for (int l = layer_count() - 1; l >= 0; --l)
    dh = layers_[l]->backward(dh, memory_, wg, results.gates.data() + offsets_[l]);
  if (wg) stem_->backward(dh, memory_, Backward{true, false});
  return r;
}

void Supernet::clear_saved() {
  if (stem_) stem_->clear_saved();
  for (auto& l : layers_) l->clear_saved();
  if (head_) head_->clear_saved();
}

void Supernet::optimizer_step(const Optimizer& opt) {
  Compute& k = *compute_;
  const bool sgd = opt.kind == Optimizer::Kind::Sgd;
  std::vector<ParamUpdate> updates;
  for (Param* p : all_params()) {
    if (!p->touched) continue;
    ParamUpdate u{k.mirror(p->value), k.mirror(p->grad), nullptr, nullptr, nullptr, p->size(), false, 0};
    if (sgd) {
      if (opt.sgd.momentum != 0.0f && p->momentum.empty()) p->momentum.assign(p->value.size(), 0.0f);
      u.momentum = k.mirror(p->momentum);
      u.first = !p->momentum_started;
      p->momentum_started = opt.sgd.momentum != 0.0f;
    } else {
      if (p->adam_m.empty()) {
        p->adam_m.assign(p->value.size(), 0.0f);
        p->adam_v.assign(p->value.size(), 0.0f);
      }
      u.adam_m = k.mirror(p->adam_m);
      u.adam_v = k.mirror(p->adam_v);
      u.step = ++p->adam_steps;
    }
    updates.push_back(u);
    p->touched = false;
  }
  if (sgd)
    k.sgd_step(updates, opt.sgd);
  else
    k.adam_step(updates, opt.adam);
}

// ---- paths ----

void Supernet::check_paths(const Paths& paths) const {
  const int L = layer_count();
  check_prunode_gates(paths);
  if (paths.mode == PathMode::Sum) {
    if (static_cast<int64_t>(paths.weights.size()) != candidate_total())
      throw_range("weights must have " + std::to_string(candidate_total()) + " entries (one per candidate), got " +
                  std::to_string(paths.weights.size()));
    for (int l = 0; l < L; ++l)
      for (int k = 0; k < layers_[l]->candidates(); ++k) {
        const int64_t j = offsets_[l] + k;
        const float w = paths.weights[j];
        if (!std::isfinite(w))
          throw_range("weights[" + std::to_string(j) + "] (layer " + std::to_string(l) + ", candidate " +
                      std::to_string(k) + ") must be finite, got " + std::to_string(w));
        if (!layers_[l]->live(k) && w != 0.0f)
          throw_range("weights[" + std::to_string(j) + "] (layer " + std::to_string(l) + ", candidate " +
                      std::to_string(k) + ") must be 0: that candidate was removed");
      }
    return;
  }
  if (static_cast<int>(paths.active.size()) != L)
    throw_range("choices must have " + std::to_string(L) + " entries, got " + std::to_string(paths.active.size()));
  if (paths.mode == PathMode::Pair && static_cast<int>(paths.other.size()) != L)
    throw_range("others must have " + std::to_string(L) + " entries, got " + std::to_string(paths.other.size()));
  for (int l = 0; l < L; ++l) {
    const MixedLayer& layer = *layers_[l];
    if (layer.removed()) continue;  // the identity whatever is chosen
    const std::string n = std::to_string(layer.candidates());
    const int a = paths.active[l];
    if (a < 0 || a >= layer.candidates())
      throw_range("choices[" + std::to_string(l) + "] = " + std::to_string(a) + " is outside [0, " + n + ")");
    if (!layer.live(a))
      throw_range("choices[" + std::to_string(l) + "] = " + std::to_string(a) + " names a removed candidate");
    if (paths.mode != PathMode::Pair) continue;
    const int b = paths.other[l];
    if (b == -1) continue;
    if (b < 0 || b >= layer.candidates())
      throw_range("others[" + std::to_string(l) + "] = " + std::to_string(b) + " is outside [-1, " + n + ")");
    if (!layer.live(b))
      throw_range("others[" + std::to_string(l) + "] = " + std::to_string(b) + " names a removed candidate");
    if (b == a)
      throw_range("others[" + std::to_string(l) + "] = " + std::to_string(b) + " equals choices[" +
                  std::to_string(l) + "]: a pair needs two different paths");
  }
}

namespace {

// Index k (≠ exclude) with probability p[k] / Σ p over the allowed k, by
// inverse CDF on u ∈ [0, 1); −1 when nothing has positive probability.
int draw(const float* p, int count, int exclude, float u) {
  double total = 0.0;
  for (int k = 0; k < count; ++k)
    if (k != exclude) total += p[k];
  if (!(total > 0.0)) return -1;
  const double target = static_cast<double>(u) * total;
  double acc = 0.0;
  int last = -1;
  for (int k = 0; k < count; ++k) {
    if (k == exclude || p[k] <= 0.0f) continue;
    acc += p[k];
    last = k;
    if (target < acc) return k;
  }
  return last;  // rounding at the top end
}

}  // namespace

void Supernet::sample_paths(Paths& paths, const float* probabilities, int64_t count, uint64_t seed,
                            uint64_t counter) const {
  if (paths.mode == PathMode::Sum) throw_range("mode sum runs every candidate: pass weights, not probabilities");
  if (count != candidate_total())
    throw_range("probabilities must have " + std::to_string(candidate_total()) +
                " entries (one per candidate), got " + std::to_string(count));
  const int L = layer_count();
  paths.active.assign(L, -1);
  paths.other.assign(L, -1);
  Philox rng(seed, kSampleStream, counter);
  for (int l = 0; l < L; ++l) {
    const MixedLayer& layer = *layers_[l];
    const float* p = probabilities + offsets_[l];
    const int n = layer.candidates();
    const float u1 = rng.uniform();
    const float u2 = paths.mode == PathMode::Pair ? rng.uniform() : 0.0f;
    const float u3 = paths.mode == PathMode::Pair ? rng.uniform() : 0.0f;
    if (layer.removed()) continue;
    double sum = 0.0;
    for (int k = 0; k < n; ++k) {
      const int64_t j = offsets_[l] + k;
      if (!std::isfinite(p[k]) || p[k] < 0.0f)
        throw_range("probabilities[" + std::to_string(j) + "] must be a finite number >= 0, got " +
                    std::to_string(p[k]));
      if (!layer.live(k) && p[k] != 0.0f)
        throw_range("probabilities[" + std::to_string(j) + "] (layer " + std::to_string(l) + ", candidate " +
                    std::to_string(k) + ") must be 0: that candidate was removed");
      sum += p[k];
    }
    if (std::abs(sum - 1.0) > 1e-3)
      throw_range("probabilities of layer " + std::to_string(l) + " must sum to 1, got " + std::to_string(sum));
    const int a = draw(p, n, -1, u1);
    paths.active[l] = a;
    if (paths.mode != PathMode::Pair) continue;
    const int b = draw(p, n, a, u2);
    if (b < 0) continue;  // one path with positive probability: the pair degenerates to it
    const bool first = static_cast<double>(u3) * (static_cast<double>(p[a]) + p[b]) < p[a];
    paths.active[l] = first ? a : b;
    paths.other[l] = first ? b : a;
  }
}

// ---- structure ----

void Supernet::remove_candidate(int layer, int candidate) {
  if (layer < 0 || layer >= layer_count())
    throw_range("layer " + std::to_string(layer) + " is outside [0, " + std::to_string(layer_count()) + ")");
  auto lock = compute_->enter();
  compute_->to_host();  // the other parameters' newest values, before their mirrors go
  layers_[layer]->remove_candidate(candidate);
  compute_->drop_mirrors();
}

void Supernet::remove_layer(int layer) {
  if (layer < 0 || layer >= layer_count())
    throw_range("layer " + std::to_string(layer) + " is outside [0, " + std::to_string(layer_count()) + ")");
  auto lock = compute_->enter();
  compute_->to_host();
  layers_[layer]->remove();
  compute_->drop_mirrors();
}

std::vector<Param*> Supernet::all_params() {
  std::vector<Param*> all = stem_ ? stem_->params() : std::vector<Param*>{};
  for (auto& l : layers_)
    for (Param* p : l->all_params()) all.push_back(p);
  if (head_)
    for (Param* p : head_->params()) all.push_back(p);
  if (plan_.block) return all;
  all.push_back(&classifier_weight_);
  all.push_back(&classifier_bias_);
  return all;
}

int64_t Supernet::parameter_count() {
  int64_t n = 0;
  for (Param* p : all_params()) n += p->size();
  return n;
}

int64_t Supernet::parameter_bytes() {
  int64_t n = 0;
  for (Param* p : all_params()) n += p->bytes();
  return n;
}

std::vector<ConvBn*> Supernet::bn_units() {
  std::vector<ConvBn*> all;
  if (stem_) all.push_back(stem_.get());
  for (auto& l : layers_)
    for (ConvBn* u : l->bn_units()) all.push_back(u);
  if (head_) all.push_back(head_.get());
  return all;
}

}  // namespace prunas::nn
