// The bf16 kernels of native/cuda/bf16_kernels.h callable from JS on host
// Float32Arrays, for tests: activation inputs are uploaded as float and
// rounded to bf16 on the device (to_bf16), the bf16 kernel runs, and its
// activation outputs are widened back (to_float); parameters, statistics and
// their gradients cross as float32, as the kernels take them. Arguments,
// checks and `device` as the float bindings of cuda_kernels.cc; names are
// theirs with "cudaBf16" in front. Without CUDA nothing is exported.
#include "napi/cuda_bindings.h"

#ifdef PRUNAS_WITH_CUDA
#include <mutex>
#include <string>
#include <vector>

#include "cpu/depthwise.h"
#include "cuda/bf16_kernels.h"
#include "cuda/context.h"
#include "cuda/kernels.h"
#include "napi/kernel_binding.h"
#endif

namespace prunas::napi {

#ifdef PRUNAS_WITH_CUDA
namespace {

using cuda::Activation;
using cuda::bf16;
using cuda::DeviceArray;
using cuda::DeviceContext;

constexpr int64_t kMaxDim = 1 << 24;

// Runs `work` on the device with the device's mutex held, then waits for it.
template <typename Work>
double on_device(int device, const char* what, Work work) {
  DeviceContext& ctx = cuda::device_context(device);
  std::lock_guard<std::mutex> lock(ctx.mutex());
  ctx.activate();
  const double result = work(ctx);
  ctx.synchronize(what);
  return result;
}

int device_of(Args& a) { return static_cast<int>(a.integer("device", 0, 1023, 0)); }

Activation activation_of(Args& a) { return static_cast<Activation>(a.integer("activation", 0, 3, 0)); }

template <typename T>
T* ptr(const DeviceArray<T>& d) {
  return d.count() > 0 ? d.data() : nullptr;
}

// Host floats on the device as float (parameters, statistics).
DeviceArray<float> floats(DeviceContext& ctx, Span<float> s) {
  return s.data ? cuda::upload(ctx, s.data, s.length) : DeviceArray<float>(ctx, 0);
}

// Host floats on the device as bf16, rounded there; empty when absent.
DeviceArray<bf16> rounded(DeviceContext& ctx, Span<float> s) {
  DeviceArray<bf16> b(ctx, s.data ? s.length : 0);
  if (b.count() > 0) {
    DeviceArray<float> f = cuda::upload(ctx, s.data, s.length);
    cuda::to_bf16(ctx, b.data(), f.data(), s.length);
  }
  return b;
}

// A device output for an optional host output (null pointer when absent).
template <typename T>
DeviceArray<T> output_for(DeviceContext& ctx, Span<float> s) {
  return DeviceArray<T>(ctx, s.data ? s.length : 0);
}

void to_host(DeviceContext& ctx, Span<float> s, const DeviceArray<float>& d) {
  if (s.data) cuda::copy_to_host(ctx, s.data, d.data(), sizeof(float) * s.length);
}

// A bf16 device result widened to float into a host output (when given).
void to_host(DeviceContext& ctx, Span<float> s, const DeviceArray<bf16>& d) {
  if (!s.data) return;
  DeviceArray<float> f(ctx, s.length);
  cuda::to_float(ctx, f.data(), d.data(), s.length);
  cuda::copy_to_host(ctx, s.data, f.data(), sizeof(float) * s.length);
}

// {x, y}: y = the bf16 nearest x (ties to even), widened back
KernelJob parse_round(Args& a) {
  auto x = a.f32("x", -1);
  auto y = a.f32("y", x.length);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16Round", [&](DeviceContext& ctx) {
      to_host(ctx, y, rounded(ctx, x));
      return kNoResult;
    });
  };
}

cpu::DepthwiseShape depthwise_shape(Args& a) {
  cpu::DepthwiseShape s{};
  s.n = a.integer("n", 1, kMaxDim);
  s.h = a.integer("h", 1, kMaxDim);
  s.w = a.integer("w", 1, kMaxDim);
  s.c = a.integer("c", 1, kMaxDim);
  s.kh = a.integer("kh", 1, 7);
  s.kw = a.integer("kw", 1, 7);
  s.sh = a.integer("strideH", 1, 2);
  s.sw = a.integer("strideW", 1, 2);
  s.ph = a.integer("padH", 0, 6);
  s.pw = a.integer("padW", 0, 6);
  named(a.kernel(), [&] { cpu::check_depthwise_shape(s); });
  return s;
}

// {n, h, w, c, kh, kw, strideH, strideW, padH, padW, x, weight, bias?, y}
KernelJob parse_depthwise_forward(Args& a) {
  const auto s = depthwise_shape(a);
  auto x = a.f32("x", s.n * s.h * s.w * s.c);
  auto w = a.f32("weight", s.kh * s.kw * s.c);
  auto bias = a.f32_optional("bias", s.c);
  auto y = a.f32("y", s.n * s.ho() * s.wo() * s.c);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16DepthwiseForward", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, x);
      auto gw = floats(ctx, w), gb = floats(ctx, bias);
      DeviceArray<bf16> gy(ctx, y.length);
      cuda::depthwise_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), s);
      to_host(ctx, y, gy);
      return kNoResult;
    });
  };
}

// {shape fields, x, weight, dy, dx?, dw?, db?}
KernelJob parse_depthwise_backward(Args& a) {
  const auto s = depthwise_shape(a);
  auto x = a.f32("x", s.n * s.h * s.w * s.c);
  auto w = a.f32("weight", s.kh * s.kw * s.c);
  auto dy = a.f32("dy", s.n * s.ho() * s.wo() * s.c);
  auto dx = a.f32_optional("dx", x.length);
  auto dw = a.f32_optional("dw", w.length);
  auto db = a.f32_optional("db", s.c);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16DepthwiseBackward", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, x), gdy = rounded(ctx, dy);
      auto gw = floats(ctx, w);
      auto odx = output_for<bf16>(ctx, dx);
      auto odw = output_for<float>(ctx, dw), odb = output_for<float>(ctx, db);
      cuda::depthwise_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(), gw.data(), s);
      to_host(ctx, dx, odx);
      to_host(ctx, dw, odw);
      to_host(ctx, db, odb);
      return kNoResult;
    });
  };
}

struct BnSizes {
  int64_t rows, c;
};
BnSizes bn_sizes(Args& a, bool training) {
  return {a.integer("rows", training ? 2 : 1, int64_t{1} << 40), a.integer("channels", 1, 1 << 20)};
}
float bn_eps(Args& a) { return static_cast<float>(a.number("eps", 1e-12, 1.0, 1e-5)); }

// {rows, channels, x, gamma, beta, y, saveMean, saveInvStd, runningMean?, runningVar?, momentum?, eps?,
//  activation?, inPlace?}; inPlace: the kernel writes y over x
KernelJob parse_bn_forward_train(Args& a) {
  const auto s = bn_sizes(a, true);
  auto x = a.f32("x", s.rows * s.c);
  auto gamma = a.f32("gamma", s.c);
  auto beta = a.f32("beta", s.c);
  auto y = a.f32("y", x.length);
  auto save_mean = a.f32("saveMean", s.c);
  auto save_invstd = a.f32("saveInvStd", s.c);
  auto running_mean = a.f32_optional("runningMean", s.c);
  auto running_var = a.f32_optional("runningVar", s.c);
  if ((running_mean.data == nullptr) != (running_var.data == nullptr))
    throw_range(a.where("runningMean") + " and runningVar go together");
  const float momentum = static_cast<float>(a.number("momentum", 0.0, 1.0, 0.1));
  const float eps = bn_eps(a);
  const Activation act = activation_of(a);
  const bool in_place = a.boolean("inPlace", false);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16BatchnormForwardTrain", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, x);
      auto gg = floats(ctx, gamma), gb = floats(ctx, beta);
      auto rm = floats(ctx, running_mean), rv = floats(ctx, running_var);
      DeviceArray<bf16> gy(ctx, in_place ? 0 : y.length);
      DeviceArray<float> sm(ctx, s.c), si(ctx, s.c);
      const DeviceArray<bf16>& out = in_place ? gx : gy;
      cuda::batchnorm_act_forward_train(ctx, out.data(), sm.data(), si.data(), ptr(rm), ptr(rv), gx.data(), gg.data(),
                                        gb.data(), s.rows, s.c, momentum, eps, act);
      to_host(ctx, y, out);
      to_host(ctx, save_mean, sm);
      to_host(ctx, save_invstd, si);
      to_host(ctx, running_mean, rm);
      to_host(ctx, running_var, rv);
      return kNoResult;
    });
  };
}

// {rows, channels, x, gamma, beta, runningMean, runningVar, y, eps?, activation?, inPlace?}
KernelJob parse_bn_forward_eval(Args& a) {
  const auto s = bn_sizes(a, false);
  auto x = a.f32("x", s.rows * s.c);
  auto gamma = a.f32("gamma", s.c);
  auto beta = a.f32("beta", s.c);
  auto running_mean = a.f32("runningMean", s.c);
  auto running_var = a.f32("runningVar", s.c);
  auto y = a.f32("y", x.length);
  const float eps = bn_eps(a);
  const Activation act = activation_of(a);
  const bool in_place = a.boolean("inPlace", false);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16BatchnormForwardEval", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, x);
      auto gg = floats(ctx, gamma), gb = floats(ctx, beta);
      auto rm = floats(ctx, running_mean), rv = floats(ctx, running_var);
      DeviceArray<bf16> gy(ctx, in_place ? 0 : y.length);
      const DeviceArray<bf16>& out = in_place ? gx : gy;
      cuda::batchnorm_act_forward_eval(ctx, out.data(), gx.data(), gg.data(), gb.data(), rm.data(), rv.data(), s.rows,
                                       s.c, eps, act);
      to_host(ctx, y, out);
      return kNoResult;
    });
  };
}

// train: {rows, channels, x, gamma, beta, dy, saveMean, saveInvStd, dx?, dgamma?, dbeta?, activation?}
// eval:  {rows, channels, x, gamma, beta, dy, runningMean, runningVar, eps?, dx?, dgamma?, dbeta?, activation?}
KernelJob parse_bn_backward(Args& a, bool training) {
  const auto s = bn_sizes(a, training);
  auto x = a.f32("x", s.rows * s.c);
  auto gamma = a.f32("gamma", s.c);
  auto beta = a.f32("beta", s.c);
  auto dy = a.f32("dy", x.length);
  auto stat_a = a.f32(training ? "saveMean" : "runningMean", s.c);
  auto stat_b = a.f32(training ? "saveInvStd" : "runningVar", s.c);
  const float eps = training ? 1e-5f : bn_eps(a);
  auto dx = a.f32_optional("dx", x.length);
  auto dgamma = a.f32_optional("dgamma", s.c);
  auto dbeta = a.f32_optional("dbeta", s.c);
  const Activation act = activation_of(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16BatchnormBackward", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, x), gdy = rounded(ctx, dy);
      auto gg = floats(ctx, gamma), gb = floats(ctx, beta), sa = floats(ctx, stat_a), sb = floats(ctx, stat_b);
      auto odx = output_for<bf16>(ctx, dx);
      auto odg = output_for<float>(ctx, dgamma), odb = output_for<float>(ctx, dbeta);
      if (training)
        cuda::batchnorm_act_backward_train(ctx, ptr(odx), ptr(odg), ptr(odb), gdy.data(), gx.data(), gg.data(),
                                           gb.data(), sa.data(), sb.data(), s.rows, s.c, act);
      else
        cuda::batchnorm_act_backward_eval(ctx, ptr(odx), ptr(odg), ptr(odb), gdy.data(), gx.data(), gg.data(),
                                          gb.data(), sa.data(), sb.data(), s.rows, s.c, eps, act);
      to_host(ctx, dx, odx);
      to_host(ctx, dgamma, odg);
      to_host(ctx, dbeta, odb);
      return kNoResult;
    });
  };
}
KernelJob parse_bn_backward_train(Args& a) { return parse_bn_backward(a, true); }
KernelJob parse_bn_backward_eval(Args& a) { return parse_bn_backward(a, false); }

// {a, b, y}: the residual add
KernelJob parse_add(Args& a) {
  auto x = a.f32("a", -1);
  auto b = a.f32("b", x.length);
  auto y = a.f32("y", x.length);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16AddForward", [&](DeviceContext& ctx) {
      auto ga = rounded(ctx, x), gb = rounded(ctx, b);
      DeviceArray<bf16> gy(ctx, y.length);
      cuda::add_forward(ctx, gy.data(), ga.data(), gb.data(), y.length);
      to_host(ctx, y, gy);
      return kNoResult;
    });
  };
}

// {rows, channels, x, bias, y}: y = x + bias per row (the kernel adds in place)
KernelJob parse_add_bias(Args& a) {
  const int64_t rows = a.integer("rows", 1, int64_t{1} << 40), c = a.integer("channels", 1, 1 << 20);
  auto x = a.f32("x", rows * c);
  auto bias = a.f32("bias", c);
  auto y = a.f32("y", x.length);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16AddBias", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, x);
      auto gb = floats(ctx, bias);
      cuda::add_bias(ctx, gx.data(), gb.data(), rows, c);
      to_host(ctx, y, gx);
      return kNoResult;
    });
  };
}

// {rows, channels, x, out}: out[c] = Σ_r x[r, c] (float)
KernelJob parse_column_sums(Args& a) {
  const int64_t rows = a.integer("rows", 1, int64_t{1} << 40), c = a.integer("channels", 1, 1 << 20);
  auto x = a.f32("x", rows * c);
  auto out = a.f32("out", c);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16ColumnSums", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, x);
      DeviceArray<float> go(ctx, c);
      cuda::column_sums(ctx, go.data(), gx.data(), rows, c);
      to_host(ctx, out, go);
      return kNoResult;
    });
  };
}

// {n, hw, c, x, y} / {n, hw, c, dy, dx}
KernelJob parse_pool(Args& a, bool forward) {
  const int64_t n = a.integer("n", 1, kMaxDim), hw = a.integer("hw", 1, int64_t{1} << 30);
  const int64_t c = a.integer("c", 1, kMaxDim);
  auto in = a.f32(forward ? "x" : "dy", forward ? n * hw * c : n * c);
  auto out = a.f32(forward ? "y" : "dx", forward ? n * c : n * hw * c);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16GlobalAvgPool", [&](DeviceContext& ctx) {
      auto gin = rounded(ctx, in);
      DeviceArray<bf16> gout(ctx, out.length);
      if (forward)
        cuda::global_avg_pool_forward(ctx, gout.data(), gin.data(), n, hw, c);
      else
        cuda::global_avg_pool_backward(ctx, gout.data(), gin.data(), n, hw, c);
      to_host(ctx, out, gout);
      return kNoResult;
    });
  };
}
KernelJob parse_pool_forward(Args& a) { return parse_pool(a, true); }
KernelJob parse_pool_backward(Args& a) { return parse_pool(a, false); }

// {n, k, logits, labels, smoothing, dlogits?, correct?: Int32Array(1)} → mean loss
KernelJob parse_cross_entropy(Args& a) {
  const int64_t n = a.integer("n", 1, 1 << 24), k = a.integer("k", 1, 1 << 24);
  auto logits = a.f32("logits", n * k);
  auto labels = a.i32("labels", n);
  for (int64_t i = 0; i < n; ++i)
    if (labels.data[i] < 0 || labels.data[i] >= k)
      throw_range(a.where("labels") + "[" + std::to_string(i) + "] = " + std::to_string(labels.data[i]) +
                  " is outside [0, " + std::to_string(k) + ")");
  const double smoothing = a.number("smoothing", 0.0, 1.0, 0.0);
  auto dlogits = a.f32_optional("dlogits", n * k);
  Span<int32_t> correct{};
  if (!a.is_absent("correct")) correct = a.i32("correct", 1);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16SoftmaxCrossEntropy", [&](DeviceContext& ctx) {
      auto gz = rounded(ctx, logits);
      auto gl = cuda::upload(ctx, labels.data, labels.length);
      auto gd = output_for<bf16>(ctx, dlogits);
      const cuda::LossResult r = cuda::softmax_cross_entropy(ctx, ptr(gd), gz.data(), gl.data(), n, k, smoothing);
      to_host(ctx, dlogits, gd);
      if (correct.data) correct.data[0] = static_cast<int32_t>(r.correct);
      return r.loss;
    });
  };
}

// {a, b, da?} → mean((a − b)²)
KernelJob parse_mse(Args& a) {
  auto x = a.f32("a", -1);
  if (x.length < 1) throw_range(a.where("a") + " must not be empty");
  auto b = a.f32("b", x.length);
  auto da = a.f32_optional("da", x.length);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16MseLoss", [&](DeviceContext& ctx) {
      auto ga = rounded(ctx, x), gb = rounded(ctx, b);
      auto gd = output_for<bf16>(ctx, da);
      const cuda::LossResult r = cuda::mse_loss(ctx, ptr(gd), ga.data(), gb.data(), x.length);
      to_host(ctx, da, gd);
      return r.loss;
    });
  };
}

// K device pointers into one array of K candidates laid end to end, n each.
std::vector<const bf16*> candidates(const DeviceArray<bf16>& all, int64_t count, int64_t n) {
  std::vector<const bf16*> list;
  for (int64_t k = 0; k < count; ++k) list.push_back(all.data() + k * n);
  return list;
}

// {outputs: K·n values (candidates end to end), weights: K, residual?: n, y: n}
KernelJob parse_mixed_combine(Args& a) {
  auto weights = a.f32("weights", -1);
  if (weights.length < 1) throw_range(a.where("weights") + " must not be empty");
  auto y = a.f32("y", -1);
  if (y.length < 1) throw_range(a.where("y") + " must not be empty");
  auto outputs = a.f32("outputs", weights.length * y.length);
  auto residual = a.f32_optional("residual", y.length);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16MixedCombine", [&](DeviceContext& ctx) {
      auto go = rounded(ctx, outputs), gr = rounded(ctx, residual);
      DeviceArray<bf16> gy(ctx, y.length);
      cuda::mixed_combine_forward(ctx, gy.data(), ptr(gr), candidates(go, weights.length, y.length),
                                  std::vector<float>(weights.data, weights.data + weights.length), y.length);
      to_host(ctx, y, gy);
      return kNoResult;
    });
  };
}

// {outputs: K·n, dy: n, gates: Float32Array(K)}
KernelJob parse_gate_inner_products(Args& a) {
  auto gates = a.f32("gates", -1);
  if (gates.length < 1) throw_range(a.where("gates") + " must not be empty");
  auto dy = a.f32("dy", -1);
  if (dy.length < 1) throw_range(a.where("dy") + " must not be empty");
  auto outputs = a.f32("outputs", gates.length * dy.length);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16GateInnerProducts", [&](DeviceContext& ctx) {
      auto go = rounded(ctx, outputs), gdy = rounded(ctx, dy);
      const std::vector<double> g =
          cuda::gate_inner_products(ctx, candidates(go, gates.length, dy.length), gdy.data(), dy.length);
      for (int64_t k = 0; k < gates.length; ++k) gates.data[k] = static_cast<float>(g[k]);
      return kNoResult;
    });
  };
}

// {rows, width, small, big, smallGate, x, y, inPlace?}: a Prunode's channel gates
KernelJob parse_channel_gate(Args& a) {
  const int64_t rows = a.integer("rows", 1, int64_t{1} << 40), width = a.integer("width", 1, 1 << 20);
  const int64_t small = a.integer("small", 0, width);
  const auto big = static_cast<float>(a.number("big", -1e30, 1e30));
  const auto small_gate = static_cast<float>(a.number("smallGate", -1e30, 1e30));
  auto x = a.f32("x", rows * width);
  auto y = a.f32("y", x.length);
  const bool in_place = a.boolean("inPlace", false);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16ChannelGate", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, x);
      DeviceArray<bf16> gy(ctx, in_place ? 0 : y.length);
      const DeviceArray<bf16>& out = in_place ? gx : gy;
      cuda::channel_gate(ctx, out.data(), gx.data(), rows, width, small, big, small_gate);
      to_host(ctx, y, out);
      return kNoResult;
    });
  };
}

// {rows, width, small, h, d, dots: Float32Array(2)}: (Σ h·d, Σ over the first `small` columns)
KernelJob parse_channel_gate_dots(Args& a) {
  const int64_t rows = a.integer("rows", 1, int64_t{1} << 40), width = a.integer("width", 1, 1 << 20);
  const int64_t small = a.integer("small", 0, width);
  auto h = a.f32("h", rows * width);
  auto d = a.f32("d", h.length);
  auto dots = a.f32("dots", 2);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16ChannelGateDots", [&](DeviceContext& ctx) {
      auto gh = rounded(ctx, h), gd = rounded(ctx, d);
      const auto [all, first] = cuda::channel_gate_dots(ctx, gh.data(), gd.data(), rows, width, small);
      dots.data[0] = static_cast<float>(all);
      dots.data[1] = static_cast<float>(first);
      return kNoResult;
    });
  };
}

}  // namespace
#endif  // PRUNAS_WITH_CUDA

void init_cuda_bf16(Napi::Env env, Napi::Object exports) {
#ifdef PRUNAS_WITH_CUDA
  export_kernel(env, exports, "cudaBf16Round", parse_round);
  export_kernel(env, exports, "cudaBf16DepthwiseForward", parse_depthwise_forward);
  export_kernel(env, exports, "cudaBf16DepthwiseBackward", parse_depthwise_backward);
  export_kernel(env, exports, "cudaBf16BatchnormForwardTrain", parse_bn_forward_train);
  export_kernel(env, exports, "cudaBf16BatchnormForwardEval", parse_bn_forward_eval);
  export_kernel(env, exports, "cudaBf16BatchnormBackwardTrain", parse_bn_backward_train);
  export_kernel(env, exports, "cudaBf16BatchnormBackwardEval", parse_bn_backward_eval);
  export_kernel(env, exports, "cudaBf16AddForward", parse_add);
  export_kernel(env, exports, "cudaBf16AddBias", parse_add_bias);
  export_kernel(env, exports, "cudaBf16ColumnSums", parse_column_sums);
  export_kernel(env, exports, "cudaBf16GlobalAvgPoolForward", parse_pool_forward);
  export_kernel(env, exports, "cudaBf16GlobalAvgPoolBackward", parse_pool_backward);
  export_kernel(env, exports, "cudaBf16SoftmaxCrossEntropy", parse_cross_entropy);
  export_kernel(env, exports, "cudaBf16MseLoss", parse_mse);
  export_kernel(env, exports, "cudaBf16MixedCombine", parse_mixed_combine);
  export_kernel(env, exports, "cudaBf16GateInnerProducts", parse_gate_inner_products);
  export_kernel(env, exports, "cudaBf16ChannelGate", parse_channel_gate);
  export_kernel(env, exports, "cudaBf16ChannelGateDots", parse_channel_gate_dots);
#else
  (void)env;
  (void)exports;
#endif
}

}  // namespace prunas::napi
