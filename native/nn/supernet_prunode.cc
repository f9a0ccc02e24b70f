// The supernet's side of Prunodes (nn/prunode.h): a step's gates go into
// every Prunode before the pass, their gradients come out after it, and a
// shrink cuts one Prunode's hidden width.
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"
#include "nn/supernet.h"

namespace prunas::nn {

Prunode* Supernet::prunode(int layer, int candidate) const {
  if (layer < 0 || layer >= layer_count())
    throw_range("layer " + std::to_string(layer) + " is outside [0, " + std::to_string(layer_count()) + ")");
  const MixedLayer& l = *layers_[layer];
  if (candidate < 0 || candidate >= l.candidates())
    throw_range(l.name() + ": candidate " + std::to_string(candidate) + " is outside [0, " +
                std::to_string(l.candidates()) + ")");
  return l.live(candidate) ? l.prunode(candidate) : nullptr;
}

void Supernet::shrink_prunode(int layer, int candidate) {
  Prunode* p = prunode(layer, candidate);
  if (!p)
    throw_range(layers_[layer]->name() + ": candidate " + std::to_string(candidate) +
                " is not a live prunode");
  auto lock = compute_->enter();
  clear_saved();
  compute_->to_host();
  p->shrink();
  compute_->drop_mirrors();
}

void Supernet::check_prunode_gates(const Paths& paths) const {
  if (paths.prunode_gates.empty()) return;
  if (static_cast<int64_t>(paths.prunode_gates.size()) != 2 * candidate_total())
    throw_range("prunodeGates must have " + std::to_string(2 * candidate_total()) +
                " entries (two per candidate), got " + std::to_string(paths.prunode_gates.size()));
  for (size_t j = 0; j < paths.prunode_gates.size(); ++j)
    if (!std::isfinite(paths.prunode_gates[j]))
      throw_range("prunodeGates[" + std::to_string(j) + "] must be finite, got " +
                  std::to_string(paths.prunode_gates[j]));
}

void Supernet::set_prunode_gates(const Paths& paths) {
  for (int l = 0; l < layer_count(); ++l)
    for (int k = 0; k < layers_[l]->candidates(); ++k)
      if (Prunode* p = layers_[l]->prunode(k)) {
        const int64_t j = 2 * (offsets_[l] + k);
        if (paths.prunode_gates.empty())
          p->set_gates(1.0f, 0.0f);
        else
          p->set_gates(paths.prunode_gates[j], paths.prunode_gates[j + 1]);
      }
}

void Supernet::collect_prunode_grads(StepResult& r, const std::vector<double>& results) const {
  r.prunode_grads.assign(static_cast<size_t>(2 * candidate_total()), std::numeric_limits<double>::quiet_NaN());
  for (int l = 0; l < layer_count(); ++l)
    for (int k = 0; k < layers_[l]->candidates(); ++k)
      if (const Prunode* p = layers_[l]->prunode(k)) {
        const int64_t j = 2 * (offsets_[l] + k);
        if (p->grad() == kNotComputed) continue;
        r.prunode_grads[j] = result_value(results, p->grad());
        r.prunode_grads[j + 1] = result_value(results, p->grad() + 1);
      }
}

}  // namespace prunas::nn
