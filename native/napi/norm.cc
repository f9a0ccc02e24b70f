#include "cpu/batchnorm.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

constexpr int64_t kMaxRows = int64_t{1} << 40;

struct BnSizes {
  int64_t rows, c;
};

BnSizes sizes(Args& a) { return {a.integer("rows", 1, kMaxRows), a.integer("channels", 1, 1 << 20)}; }

// {rows, channels, x, gamma, beta, y, saveMean, saveInvStd, runningMean?, runningVar?, momentum, eps}
KernelJob parse_forward_train(Args& a) {
  const auto s = sizes(a);
  auto x = a.f32("x", s.rows * s.c);
  auto gamma = a.f32("gamma", s.c);
  auto beta = a.f32("beta", s.c);
  auto y = a.f32("y", x.length);
  auto save_mean = a.f32("saveMean", s.c);
  auto save_invstd = a.f32("saveInvStd", s.c);
  auto running_mean = a.f32_optional("runningMean", s.c);
  auto running_var = a.f32_optional("runningVar", s.c);
  const float momentum = static_cast<float>(a.number("momentum", 0.0, 1.0, 0.1));
  const float eps = static_cast<float>(a.number("eps", 1e-12, 1.0, 1e-5));
  return [=] {
    cpu::batchnorm_forward_train(y.data, save_mean.data, save_invstd.data, running_mean.data, running_var.data,
                                 x.data, gamma.data, beta.data, s.rows, s.c, momentum, eps);
    return kNoResult;
  };
}

// {rows, channels, x, gamma, beta, runningMean, runningVar, y, eps}
KernelJob parse_forward_eval(Args& a) {
  const auto s = sizes(a);
  auto x = a.f32("x", s.rows * s.c);
  auto gamma = a.f32("gamma", s.c);
  auto beta = a.f32("beta", s.c);
  auto running_mean = a.f32("runningMean", s.c);
  auto running_var = a.f32("runningVar", s.c);
  auto y = a.f32("y", x.length);
  const float eps = static_cast<float>(a.number("eps", 1e-12, 1.0, 1e-5));
  return [=] {
    cpu::batchnorm_forward_eval(y.data, x.data, gamma.data, beta.data, running_mean.data, running_var.data, s.rows,
                                s.c, eps);
    return kNoResult;
  };
}

// {rows, channels, x, gamma, dy, saveMean, saveInvStd, dx?, dgamma?, dbeta?}
KernelJob parse_backward_train(Args& a) {
  const auto s = sizes(a);
  auto x = a.f32("x", s.rows * s.c);
  auto gamma = a.f32("gamma", s.c);
  auto dy = a.f32("dy", x.length);
  auto save_mean = a.f32("saveMean", s.c);
  auto save_invstd = a.f32("saveInvStd", s.c);
  auto dx = a.f32_optional("dx", x.length);
  auto dgamma = a.f32_optional("dgamma", s.c);
  auto dbeta = a.f32_optional("dbeta", s.c);
  return [=] {
    cpu::batchnorm_backward_train(dx.data, dgamma.data, dbeta.data, dy.data, x.data, gamma.data, save_mean.data,
                                  save_invstd.data, s.rows, s.c);
    return kNoResult;
  };
}

// {rows, channels, x, gamma, dy, runningMean, runningVar, eps, dx?, dgamma?, dbeta?}
KernelJob parse_backward_eval(Args& a) {
  const auto s = sizes(a);
  auto x = a.f32("x", s.rows * s.c);
  auto gamma = a.f32("gamma", s.c);
  auto dy = a.f32("dy", x.length);
  auto running_mean = a.f32("runningMean", s.c);
  auto running_var = a.f32("runningVar", s.c);
  const float eps = static_cast<float>(a.number("eps", 1e-12, 1.0, 1e-5));
  auto dx = a.f32_optional("dx", x.length);
  auto dgamma = a.f32_optional("dgamma", s.c);
  auto dbeta = a.f32_optional("dbeta", s.c);
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
