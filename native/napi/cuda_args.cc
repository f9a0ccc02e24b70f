#include "napi/cuda_args.h"

#ifdef PRUNAS_WITH_CUDA
#include <climits>
#include <string>

#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

constexpr int64_t kMaxDim = 1 << 24;

// The kernel window of a depthwise or dense conv shape: {kh, kw, strideH, strideW, padH, padW}
template <typename Shape>
void read_window(Args& a, Shape& s) {
  s.kh = a.integer("kh", 1, 7);
  s.kw = a.integer("kw", 1, 7);
  s.sh = a.integer("strideH", 1, 2);
  s.sw = a.integer("strideW", 1, 2);
  s.ph = a.integer("padH", 0, 6);
  s.pw = a.integer("padW", 0, 6);
}

cpu::DepthwiseShape depthwise_shape(Args& a) {
  cpu::DepthwiseShape s{};
  s.n = a.integer("n", 1, kMaxDim);
  s.h = a.integer("h", 1, kMaxDim);
  s.w = a.integer("w", 1, kMaxDim);
  s.c = a.integer("c", 1, kMaxDim);
  read_window(a, s);
  named(a.kernel(), [&] { cpu::check_depthwise_shape(s); });
  return s;
}

cpu::Conv2dShape conv_shape(Args& a) {
  cpu::Conv2dShape s{};
  s.n = a.integer("n", 1, kMaxDim);
  s.h = a.integer("h", 1, kMaxDim);
  s.w = a.integer("w", 1, kMaxDim);
  s.cin = a.integer("cin", 1, kMaxDim);
  s.cout = a.integer("cout", 1, kMaxDim);
  read_window(a, s);
  s.groups = a.integer("groups", 1, kMaxDim, 1);
  named(a.kernel(), [&] { cpu::check_conv2d_shape(s); });
  return s;
}

BnSizes bn_sizes(Args& a, bool training) {
  return {a.integer("rows", training ? 2 : 1, int64_t{1} << 40), a.integer("channels", 1, 1 << 20)};
}

float bn_eps(Args& a) { return static_cast<float>(a.number("eps", 1e-12, 1.0, 1e-5)); }

}  // namespace

int device_of(Args& a) { return static_cast<int>(a.integer("device", 0, 1023, 0)); }

cuda::Activation activation_of(Args& a) { return static_cast<cuda::Activation>(a.integer("activation", 0, 3, 0)); }

cuda::DeviceArray<cuda::bf16> rounded(cuda::DeviceContext& ctx, Span<float> s) {
  cuda::DeviceArray<cuda::bf16> b(ctx, s.data ? s.length : 0);
  if (b.count() > 0) {
    cuda::DeviceArray<float> f = cuda::upload(ctx, s.data, s.length);
    cuda::to_bf16(ctx, b.data(), f.data(), s.length);
  }
  return b;
}

cuda::DeviceArray<cuda::bf16> bf16_output_for(cuda::DeviceContext& ctx, Span<float> s) {
  return cuda::DeviceArray<cuda::bf16>(ctx, s.data ? s.length : 0);
}

void to_host(cuda::DeviceContext& ctx, Span<float> s, const cuda::DeviceArray<cuda::bf16>& d) {
  if (!s.data) return;
  cuda::DeviceArray<float> f(ctx, s.length);
  cuda::to_float(ctx, f.data(), d.data(), s.length);
  cuda::copy_to_host(ctx, s.data, f.data(), sizeof(float) * s.length);
}

DepthwiseForwardArgs depthwise_forward_args(Args& a) {
  DepthwiseForwardArgs p;
  p.s = depthwise_shape(a);
  p.x = a.f32("x", p.s.n * p.s.h * p.s.w * p.s.c);
  p.weight = a.f32("weight", p.s.kh * p.s.kw * p.s.c);
  p.bias = a.f32_optional("bias", p.s.c);
  p.y = a.f32("y", p.s.n * p.s.ho() * p.s.wo() * p.s.c);
  return p;
}

DepthwiseBackwardArgs depthwise_backward_args(Args& a) {
  DepthwiseBackwardArgs p;
  p.s = depthwise_shape(a);
  p.x = a.f32("x", p.s.n * p.s.h * p.s.w * p.s.c);
  p.weight = a.f32("weight", p.s.kh * p.s.kw * p.s.c);
  p.dy = a.f32("dy", p.s.n * p.s.ho() * p.s.wo() * p.s.c);
  p.dx = a.f32_optional("dx", p.x.length);
  p.dw = a.f32_optional("dw", p.weight.length);
  p.db = a.f32_optional("db", p.s.c);
  return p;
}

BnForwardTrainArgs bn_forward_train_args(Args& a) {
  BnForwardTrainArgs p;
  p.s = bn_sizes(a, true);
  p.x = a.f32("x", p.s.rows * p.s.c);
  p.gamma = a.f32("gamma", p.s.c);
  p.beta = a.f32("beta", p.s.c);
  p.y = a.f32("y", p.x.length);
  p.save_mean = a.f32("saveMean", p.s.c);
  p.save_invstd = a.f32("saveInvStd", p.s.c);
  p.running_mean = a.f32_optional("runningMean", p.s.c);
  p.running_var = a.f32_optional("runningVar", p.s.c);
  if ((p.running_mean.data == nullptr) != (p.running_var.data == nullptr))
    throw_range(a.where("runningMean") + " and runningVar go together");
  p.momentum = static_cast<float>(a.number("momentum", 0.0, 1.0, 0.1));
  p.eps = bn_eps(a);
  p.act = activation_of(a);
  return p;
}

BnForwardEvalArgs bn_forward_eval_args(Args& a) {
  BnForwardEvalArgs p;
  p.s = bn_sizes(a, false);
  p.x = a.f32("x", p.s.rows * p.s.c);
  p.gamma = a.f32("gamma", p.s.c);
  p.beta = a.f32("beta", p.s.c);
  p.running_mean = a.f32("runningMean", p.s.c);
  p.running_var = a.f32("runningVar", p.s.c);
  p.y = a.f32("y", p.x.length);
  p.eps = bn_eps(a);
  p.act = activation_of(a);
  return p;
}

BnBackwardArgs bn_backward_args(Args& a, bool training) {
  BnBackwardArgs p;
  p.s = bn_sizes(a, training);
  p.x = a.f32("x", p.s.rows * p.s.c);
  p.gamma = a.f32("gamma", p.s.c);
  p.beta = a.f32("beta", p.s.c);
  p.dy = a.f32("dy", p.x.length);
  p.stat_a = a.f32(training ? "saveMean" : "runningMean", p.s.c);
  p.stat_b = a.f32(training ? "saveInvStd" : "runningVar", p.s.c);
  p.eps = training ? 1e-5f : bn_eps(a);
  p.dx = a.f32_optional("dx", p.x.length);
  p.dgamma = a.f32_optional("dgamma", p.s.c);
  p.dbeta = a.f32_optional("dbeta", p.s.c);
  p.act = activation_of(a);
  return p;
}

AddArgs add_args(Args& a) {
  AddArgs p;
  p.a = a.f32("a", -1);
  p.b = a.f32("b", p.a.length);
  p.y = a.f32("y", p.a.length);
  return p;
}

PoolArgs pool_args(Args& a, bool forward) {
  PoolArgs p;
  p.n = a.integer("n", 1, kMaxDim);
  p.hw = a.integer("hw", 1, int64_t{1} << 30);
  p.c = a.integer("c", 1, kMaxDim);
  p.in = a.f32(forward ? "x" : "dy", forward ? p.n * p.hw * p.c : p.n * p.c);
  p.out = a.f32(forward ? "y" : "dx", forward ? p.n * p.c : p.n * p.hw * p.c);
  return p;
}

CrossEntropyArgs cross_entropy_args(Args& a) {
  CrossEntropyArgs p;
  p.n = a.integer("n", 1, 1 << 24);
  p.k = a.integer("k", 1, 1 << 24);
  p.logits = a.f32("logits", p.n * p.k);
  p.labels = a.i32("labels", p.n);
  for (int64_t i = 0; i < p.n; ++i)
    if (p.labels.data[i] < 0 || p.labels.data[i] >= p.k)
      throw_range(a.where("labels") + "[" + std::to_string(i) + "] = " + std::to_string(p.labels.data[i]) +
                  " is outside [0, " + std::to_string(p.k) + ")");
  p.smoothing = a.number("smoothing", 0.0, 1.0, 0.0);
  p.dlogits = a.f32_optional("dlogits", p.n * p.k);
  if (!a.is_absent("correct")) p.correct = a.i32("correct", 1);
  return p;
}

MseArgs mse_args(Args& a) {
  MseArgs p;
  p.a = a.f32("a", -1);
  if (p.a.length < 1) throw_range(a.where("a") + " must not be empty");
  p.b = a.f32("b", p.a.length);
  p.da = a.f32_optional("da", p.a.length);
  return p;
}

ConvForwardArgs conv_forward_args(Args& a) {
  ConvForwardArgs p;
  p.s = conv_shape(a);
  p.x = a.f32("x", p.s.n * p.s.h * p.s.w * p.s.cin);
  p.weight = a.f32("weight", p.s.cout * p.s.kh * p.s.kw * (p.s.cin / p.s.groups));
  p.bias = a.f32_optional("bias", p.s.cout);
  p.y = a.f32("y", p.s.n * p.s.ho() * p.s.wo() * p.s.cout);
  return p;
}

ConvBackwardArgs conv_backward_args(Args& a) {
  ConvBackwardArgs p;
  p.s = conv_shape(a);
  p.x = a.f32("x", p.s.n * p.s.h * p.s.w * p.s.cin);
  p.weight = a.f32("weight", p.s.cout * p.s.kh * p.s.kw * (p.s.cin / p.s.groups));
  p.dy = a.f32("dy", p.s.n * p.s.ho() * p.s.wo() * p.s.cout);
  p.dx = a.f32_optional("dx", p.x.length);
  p.dw = a.f32_optional("dw", p.weight.length);
  p.db = a.f32_optional("db", p.s.cout);
  return p;
}

LinearForwardArgs linear_forward_args(Args& a) {
  LinearForwardArgs p;
  p.rows = a.integer("rows", 1, INT32_MAX);
  p.in = a.integer("in", 1, INT32_MAX);
  p.out = a.integer("out", 1, INT32_MAX);
  p.x = a.f32("x", p.rows * p.in);
  p.weight = a.f32("weight", p.out * p.in);
  p.bias = a.f32_optional("bias", p.out);
  p.y = a.f32("y", p.rows * p.out);
  return p;
}

LinearBackwardArgs linear_backward_args(Args& a) {
  LinearBackwardArgs p;
  p.rows = a.integer("rows", 1, INT32_MAX);
  p.in = a.integer("in", 1, INT32_MAX);
  p.out = a.integer("out", 1, INT32_MAX);
  p.x = a.f32("x", p.rows * p.in);
  p.weight = a.f32("weight", p.out * p.in);
  p.dy = a.f32("dy", p.rows * p.out);
  p.dx = a.f32_optional("dx", p.x.length);
  p.dw = a.f32_optional("dw", p.weight.length);
  p.db = a.f32_optional("db", p.out);
  return p;
}

}  // namespace prunas::napi
#endif  // PRUNAS_WITH_CUDA
