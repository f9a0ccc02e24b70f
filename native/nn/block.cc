// DNA's pieces of the supernet (ALGORITHMS.md, "DNA"): the features of a
// network at chosen layers (a teacher's stage outputs), and the loss of a
// block plan, the MSE between the block's output map and the teacher's.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "nn/supernet.h"

namespace prunas::nn {

int64_t Supernet::output_size() const {
  Geometry g{1, plan_.height, plan_.width, plan_.channels};
  if (stem_) g = stem_->output_geometry(g);
  for (const auto& l : layers_) g = l->output_geometry(g);
  return g.h * g.w * g.c;
}

StepResult Supernet::regression_loss(const ActivationPtr& h, const Geometry& g, bool backward, ActivationPtr* dh,
                                     PassResults& results) {
  const int64_t count = g.size();
  StepResult r;
  r.count = g.n;
  if (target_.empty() && !backward) return r;  // a forward without targets (BN recalibration): no loss
  if (static_cast<int64_t>(target_.size()) != count) throw_range("the target maps do not match the block's output");
  if (backward) *dh = make_activation(memory_, count);
  Compute& k = *compute_;
  // On a device the target goes there; the loss and the metrics' sums stay
  // there until the pass reads its results.
  ActivationPtr target = k.on_host() ? nullptr : make_activation(memory_, count);
  if (target) k.upload(target->data(), target_.data(), count);
  const float* y = target ? target->data() : target_.data();
  results.loss = k.mse_loss(backward ? (*dh)->data() : nullptr, h->data(), y, count);
  results.regression = k.regression_sums(h->data(), y, count);
  r.regression.values = count;
  return r;
}

std::vector<std::vector<float>> Supernet::features(const BatchSource& source, const Paths& paths,
                                                   const std::vector<int>& layers, bool train_bn,
                                                   int64_t batch_size) {
  check_paths(paths);
  if (paths.mode == PathMode::Sum || paths.mode == PathMode::Pair)
    throw_range("features run one path per layer: mode single or fixed");
  if (layers.empty()) throw_range("layers must name at least one layer");
  for (size_t i = 0; i < layers.size(); ++i)
    if (layers[i] < -1 || layers[i] >= layer_count() || (layers[i] == -1 && !stem_))
      throw_range("layers[" + std::to_string(i) + "] = " + std::to_string(layers[i]) + " is outside [" +
                  (stem_ ? "-1" : "0") + ", " + std::to_string(layer_count()) + ")");
  auto lock = compute_->enter();
  memory_.reset_peak();
  const int last = *std::max_element(layers.begin(), layers.end());
  std::vector<std::vector<float>> out(layers.size());
  Mode mode;
  mode.train = train_bn;
  mode.update_running = false;
  mode.keep = false;
  auto keep = [&](int at, const ActivationPtr& h, const Geometry& g) {
    for (size_t i = 0; i < layers.size(); ++i)
      if (layers[i] == at) {
        const size_t end = out[i].size();
        out[i].resize(end + static_cast<size_t>(g.size()));
        compute_->download(out[i].data() + end, h->data(), g.size());
      }
  };
  try {
    for (int64_t begin = 0; begin < source.size; begin += batch_size) {
      const int64_t n = std::min(batch_size, source.size - begin);
      std::vector<int32_t> labels;
      ActivationPtr h = fill(source, begin, n, labels);
      Geometry g{n, plan_.height, plan_.width, plan_.channels};
      if (stem_) {
        h = stem_->forward(h, g, mode, memory_);
        g = stem_->output_geometry(g);
        keep(-1, h, g);
      }
      for (int l = 0; l <= last; ++l) {
        LayerPaths lp;
        lp.active = paths.active[l];
        h = layers_[l]->forward(h, g, paths.mode, lp, mode, memory_);
        g = layers_[l]->output_geometry(g);
        keep(l, h, g);
      }
    }
  } catch (...) {
    clear_saved();
    throw;
  }
  return out;
}

}  // namespace prunas::nn
