#include "napi/prunode.h"

#include <algorithm>

namespace prunas::napi {

void parse_prunode_plan(Args& a, nn::Plan& plan) {
  if (a.is_absent("prunodes")) return;
  int64_t total = 0;
  for (const nn::LayerPlan& l : plan.layers) total += static_cast<int64_t>(l.candidates.size());
  auto rows = a.i32("prunodes", 2 * total);
  int64_t j = 0;
  for (size_t l = 0; l < plan.layers.size(); ++l)
    for (nn::CandidatePlan& c : plan.layers[l].candidates) {
      const int32_t step = rows.data[2 * j], min = rows.data[2 * j + 1];
      const std::string where = a.where("prunodes") + "[" + std::to_string(2 * j) + "] (layer " +
                                std::to_string(l) + ")";
      ++j;
      if (step == 0) continue;
      if (c.zero) throw_range(where + ": zero cannot be a prunode");
      if (step < 0) throw_range(where + ": step must be >= 0, got " + std::to_string(step));
      c.prunode_step = step;
      c.prunode_min = min;
    }
}

void parse_prunode_gates(Args& a, const nn::Supernet& net, nn::Paths& paths) {
  if (a.is_absent("prunodeGates")) return;
  auto g = a.f32("prunodeGates", 2 * net.candidate_total());
  paths.prunode_gates.assign(g.data, g.data + g.length);
}

void set_prunode_grads(Napi::Env env, Napi::Object out, const nn::StepResult& r) {
  if (r.prunode_grads.empty()) return;
  auto grads = Napi::Float64Array::New(env, r.prunode_grads.size());
  std::copy(r.prunode_grads.begin(), r.prunode_grads.end(), grads.Data());
  out.Set("prunodeGrads", grads);
}

Napi::Value prunode_widths(Napi::Env env, const nn::Supernet& net) {
  auto out = Napi::Int32Array::New(env, static_cast<size_t>(4 * net.candidate_total()));
  std::fill(out.Data(), out.Data() + out.ElementLength(), 0);
  for (int l = 0; l < net.layer_count(); ++l)
    for (int k = 0; k < net.layer(l).candidates(); ++k)
      if (const nn::Prunode* p = net.prunode(l, k)) {
        int32_t* row = out.Data() + 4 * (net.offset(l) + k);
        row[0] = static_cast<int32_t>(p->width());
        row[1] = static_cast<int32_t>(p->step());
        row[2] = static_cast<int32_t>(p->min_width());
        row[3] = static_cast<int32_t>(p->max_width());
      }
  return out;
}

}  // namespace prunas::napi
