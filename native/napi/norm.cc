#include <sstream>
#include <string>

#include "cpu/batchnorm.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

constexpr int64_t kMaxRows = int64_t{1} << 40;
constexpr int64_t kMaxChannels = int64_t{1} << 20;

struct BnSizes {
  int64_t rows, c;
};

// Training needs two rows at least: the unbiased variance of one value is undefined.
BnSizes sizes(Args& a, bool training) {
  return {a.integer("rows", training ? 2 : 1, kMaxRows), a.integer("channels", 1, kMaxChannels)};
}

float eps_of(Args& a) { return static_cast<float>(a.number("eps", 1e-12, 1.0, 1e-5)); }

// A variance must be >= 0 (NaN is not).
void check_variances(const Args& a, const char* name, Span<float> var) {
  for (int64_t i = 0; i < var.length; ++i)
    if (!(var.data[i] >= 0.0f)) {
      std::ostringstream value;
      value << var.data[i];
      throw_range(a.where(name) + "[" + std::to_string(i) + "] must be >= 0, got " + value.str());
    }
}

// {rows, channels, x, gamma, beta, y, saveMean, saveInvStd, runningMean?, runningVar?, momentum?, eps?}
// y may be x (in place).
KernelJob parse_forward_train(Args& a) {
  const auto s = sizes(a, true);
  auto x = a.f32("x", s.rows * s.c);
  auto gamma = a.f32("gamma", s.c);
  auto beta = a.f32("beta", s.c);
  auto y = a.f32("y", x.length);
  auto save_mean = a.f32("saveMean", s.c);
  auto save_invstd = a.f32("saveInvStd", s.c);
  auto running_mean = a.f32_optional("runningMean", s.c);
  auto running_var = a.f32_optional("runningVar", s.c);
  if ((running_mean.data == nullptr) != (running_var.data == nullptr))
    throw_range(a.where(running_mean.data ? "runningVar" : "runningMean") +
                " is missing: runningMean and runningVar go together");
  const float momentum = static_cast<float>(a.number("momentum", 0.0, 1.0, 0.1));
  const float eps = eps_of(a);
  const bool in_place = y.data == x.data;
  check_disjoint(a, {array("x", x, in_place), array("gamma", gamma, false), array("beta", beta, false),
                     in_place ? ArrayUse{} : array("y", y, true), array("saveMean", save_mean, true),
                     array("saveInvStd", save_invstd, true), array("runningMean", running_mean, true),
                     array("runningVar", running_var, true)});
  return [=] {
    cpu::batchnorm_forward_train(y.data, save_mean.data, save_invstd.data, running_mean.data, running_var.data,
                                 x.data, gamma.data, beta.data, s.rows, s.c, momentum, eps);
    return kNoResult;
  };
}

// {rows, channels, x, gamma, beta, runningMean, runningVar, y, eps?}; y may be x.
KernelJob parse_forward_eval(Args& a) {
  const auto s = sizes(a, false);
  auto x = a.f32("x", s.rows * s.c);
  auto gamma = a.f32("gamma", s.c);
  auto beta = a.f32("beta", s.c);
  auto running_mean = a.f32("runningMean", s.c);
  auto running_var = a.f32("runningVar", s.c);
  check_variances(a, "runningVar", running_var);
  auto y = a.f32("y", x.length);
  const float eps = eps_of(a);
  const bool in_place = y.data == x.data;
  check_disjoint(a, {array("x", x, in_place), array("gamma", gamma, false), array("beta", beta, false),
                     array("runningMean", running_mean, false), array("runningVar", running_var, false),
                     in_place ? ArrayUse{} : array("y", y, true)});
  return [=] {
    cpu::batchnorm_forward_eval(y.data, x.data, gamma.data, beta.data, running_mean.data, running_var.data, s.rows,
                                s.c, eps);
    return kNoResult;
  };
}

// {rows, channels, x, gamma, dy, saveMean, saveInvStd, dx?, dgamma?, dbeta?}; dx may be dy.
KernelJob parse_backward_train(Args& a) {
  const auto s = sizes(a, true);
  auto x = a.f32("x", s.rows * s.c);
  auto gamma = a.f32("gamma", s.c);
  auto dy = a.f32("dy", x.length);
  auto save_mean = a.f32("saveMean", s.c);
  auto save_invstd = a.f32("saveInvStd", s.c);
  auto dx = a.f32_optional("dx", x.length);
  auto dgamma = a.f32_optional("dgamma", s.c);
  auto dbeta = a.f32_optional("dbeta", s.c);
  const bool in_place = dx.data == dy.data;
  check_disjoint(a, {array("x", x, false), array("gamma", gamma, false), array("dy", dy, in_place),
                     array("saveMean", save_mean, false), array("saveInvStd", save_invstd, false),
                     in_place ? ArrayUse{} : array("dx", dx, true), array("dgamma", dgamma, true),
                     array("dbeta", dbeta, true)});
  return [=] {
    cpu::batchnorm_backward_train(dx.data, dgamma.data, dbeta.data, dy.data, x.data, gamma.data, save_mean.data,
                                  save_invstd.data, s.rows, s.c);
    return kNoResult;
  };
}

// {rows, channels, x, gamma, dy, runningMean, runningVar, eps?, dx?, dgamma?, dbeta?}; dx may be dy.
KernelJob parse_backward_eval(Args& a) {
  const auto s = sizes(a, false);
  auto x = a.f32("x", s.rows * s.c);
  auto gamma = a.f32("gamma", s.c);
  auto dy = a.f32("dy", x.length);
  auto running_mean = a.f32("runningMean", s.c);
  auto running_var = a.f32("runningVar", s.c);
  check_variances(a, "runningVar", running_var);
  const float eps = eps_of(a);
  auto dx = a.f32_optional("dx", x.length);
  auto dgamma = a.f32_optional("dgamma", s.c);
  auto dbeta = a.f32_optional("dbeta", s.c);
  const bool in_place = dx.data == dy.data;
  check_disjoint(a, {array("x", x, false), array("gamma", gamma, false), array("dy", dy, in_place),
                     array("runningMean", running_mean, false), array("runningVar", running_var, false),
                     in_place ? ArrayUse{} : array("dx", dx, true), array("dgamma", dgamma, true),
                     array("dbeta", dbeta, true)});
  return [=] {
    cpu::batchnorm_backward_eval(dx.data, dgamma.data, dbeta.data, dy.data, x.data, gamma.data, running_mean.data,
                                 running_var.data, s.rows, s.c, eps);
    return kNoResult;
  };
}

}  // namespace

void init_norm(Napi::Env env, Napi::Object exports) {
  export_kernel(env, exports, "batchnormForwardTrain", parse_forward_train);
  export_kernel(env, exports, "batchnormForwardEval", parse_forward_eval);
  export_kernel(env, exports, "batchnormBackwardTrain", parse_backward_train);
  export_kernel(env, exports, "batchnormBackwardEval", parse_backward_eval);
}

}  // namespace prunas::napi
