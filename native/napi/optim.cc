
#include "cpu/optim.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

constexpr double kMaxRate = 1e6;
constexpr double kMaxBeta = 0.999999;

// {param, grad, buffer?, lr, momentum?, nesterov?, weightDecay?, first?}; buffer is required when momentum > 0.
KernelJob parse_sgd(Args& a) {
  auto param = a.f32("param", -1);
  auto grad = a.f32("grad", param.length);
  cpu::SgdOptions o;
  o.lr = a.number("lr", 0.0, kMaxRate);
  o.momentum = a.number("momentum", 0.0, 1.0, 0.0);
  o.nesterov = a.boolean("nesterov", false);
  o.weight_decay = a.number("weightDecay", 0.0, kMaxRate, 0.0);
  const bool first = a.boolean("first", false);
  if (o.nesterov && o.momentum == 0.0) throw_range(a.where("nesterov") + " needs momentum > 0");
  Span<float> buffer{};
  if (o.momentum != 0.0) buffer = a.f32("buffer", param.length);
  check_disjoint(a, {array("param", param, true), array("grad", grad, false), array("buffer", buffer, true)});
  return [=] {
    cpu::sgd_step(param.data, buffer.data, grad.data, param.length, o, first);
    return kNoResult;
  };
}

// {param, grad, m, v, step, lr, beta1?, beta2?, eps?, weightDecay?, decoupled?}
KernelJob parse_adam(Args& a) {
  auto param = a.f32("param", -1);
  auto grad = a.f32("grad", param.length);
  auto m = a.f32("m", param.length);
  auto v = a.f32("v", param.length);
  const int64_t step = a.integer("step", 1, (int64_t{1} << 53) - 1);
  cpu::AdamOptions o;
  o.lr = a.number("lr", 0.0, kMaxRate);
  o.beta1 = a.number("beta1", 0.0, kMaxBeta, 0.9);
  o.beta2 = a.number("beta2", 0.0, kMaxBeta, 0.999);
  o.eps = a.number("eps", 1e-30, 1.0, 1e-8);
  o.weight_decay = a.number("weightDecay", 0.0, kMaxRate, 0.0);
  o.decoupled = a.boolean("decoupled", false);
  check_disjoint(a, {array("param", param, true), array("grad", grad, false), array("m", m, true),
                     array("v", v, true)});
  return [=] {
    cpu::adam_step(param.data, m.data, v.data, grad.data, param.length, o, step);
    return kNoResult;
  };
}

}  // namespace

void init_optim(Napi::Env env, Napi::Object exports) {
  export_kernel(env, exports, "sgdStep", parse_sgd);
  export_kernel(env, exports, "adamStep", parse_adam);
}

}  // namespace prunas::napi
