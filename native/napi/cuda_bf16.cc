// The bf16 kernels of native/cuda/bf16_kernels.h callable from JS on host
// Float32Arrays, for tests: activation inputs are uploaded as float and
// rounded to bf16 on the device (to_bf16), the bf16 kernel runs, and its
// activation outputs are widened back (to_float); parameters, statistics and
// their gradients cross as float32, as the kernels take them. Arguments,
// checks and `device` as the float bindings of cuda_kernels.cc; names are
// theirs with "cudaBf16" in front. Without CUDA nothing is exported.
#include "napi/cuda_bindings.h"

#ifdef PRUNAS_WITH_CUDA
#include <string>
#include <vector>

#include "cuda/bf16_kernels.h"
#include "cuda/context.h"
#include "cuda/kernels.h"
#include "napi/cuda_args.h"
#include "napi/kernel_binding.h"
#endif

namespace prunas::napi {

#ifdef PRUNAS_WITH_CUDA
namespace {

using cuda::bf16;
using cuda::DeviceArray;
using cuda::DeviceContext;

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

KernelJob parse_depthwise_forward(Args& a) {
  const auto p = depthwise_forward_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16DepthwiseForward", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, p.x);
      auto gw = to_device_optional(ctx, p.weight), gb = to_device_optional(ctx, p.bias);
      DeviceArray<bf16> gy(ctx, p.y.length);
      cuda::depthwise_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), p.s);
      to_host(ctx, p.y, gy);
      return kNoResult;
    });
  };
}

KernelJob parse_depthwise_backward(Args& a) {
  const auto p = depthwise_backward_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16DepthwiseBackward", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, p.x), gdy = rounded(ctx, p.dy);
      auto gw = to_device_optional(ctx, p.weight);
      auto odx = bf16_output_for(ctx, p.dx);
      auto odw = output_for(ctx, p.dw), odb = output_for(ctx, p.db);
      cuda::depthwise_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(), gw.data(), p.s);
      to_host(ctx, p.dx, odx);
      to_host(ctx, p.dw, odw);
      to_host(ctx, p.db, odb);
      return kNoResult;
    });
  };
}

// bn_forward_train_args, then inPlace?: the kernel writes y over x
KernelJob parse_bn_forward_train(Args& a) {
  const auto p = bn_forward_train_args(a);
  const bool in_place = a.boolean("inPlace", false);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16BatchnormForwardTrain", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, p.x);
      auto gg = to_device_optional(ctx, p.gamma), gb = to_device_optional(ctx, p.beta);
      auto rm = to_device_optional(ctx, p.running_mean), rv = to_device_optional(ctx, p.running_var);
      DeviceArray<bf16> gy(ctx, in_place ? 0 : p.y.length);
      DeviceArray<float> sm(ctx, p.s.c), si(ctx, p.s.c);
      const DeviceArray<bf16>& out = in_place ? gx : gy;
      cuda::batchnorm_act_forward_train(ctx, out.data(), sm.data(), si.data(), ptr(rm), ptr(rv), gx.data(), gg.data(),
                                        gb.data(), p.s.rows, p.s.c, p.momentum, p.eps, p.act);
      to_host(ctx, p.y, out);
      to_host(ctx, p.save_mean, sm);
      to_host(ctx, p.save_invstd, si);
      to_host(ctx, p.running_mean, rm);
      to_host(ctx, p.running_var, rv);
      return kNoResult;
    });
  };
}

// bn_forward_eval_args, then inPlace?
KernelJob parse_bn_forward_eval(Args& a) {
  const auto p = bn_forward_eval_args(a);
  const bool in_place = a.boolean("inPlace", false);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16BatchnormForwardEval", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, p.x);
      auto gg = to_device_optional(ctx, p.gamma), gb = to_device_optional(ctx, p.beta);
      auto rm = to_device_optional(ctx, p.running_mean), rv = to_device_optional(ctx, p.running_var);
      DeviceArray<bf16> gy(ctx, in_place ? 0 : p.y.length);
      const DeviceArray<bf16>& out = in_place ? gx : gy;
      cuda::batchnorm_act_forward_eval(ctx, out.data(), gx.data(), gg.data(), gb.data(), rm.data(), rv.data(),
                                       p.s.rows, p.s.c, p.eps, p.act);
      to_host(ctx, p.y, out);
      return kNoResult;
    });
  };
}

KernelJob parse_bn_backward(Args& a, bool training) {
  const auto p = bn_backward_args(a, training);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16BatchnormBackward", [&](DeviceContext& ctx) {
      auto gx = rounded(ctx, p.x), gdy = rounded(ctx, p.dy);
      auto gg = to_device_optional(ctx, p.gamma), gb = to_device_optional(ctx, p.beta);
      auto sa = to_device_optional(ctx, p.stat_a), sb = to_device_optional(ctx, p.stat_b);
      auto odx = bf16_output_for(ctx, p.dx);
      auto odg = output_for(ctx, p.dgamma), odb = output_for(ctx, p.dbeta);
      if (training)
        cuda::batchnorm_act_backward_train(ctx, ptr(odx), ptr(odg), ptr(odb), gdy.data(), gx.data(), gg.data(),
                                           gb.data(), sa.data(), sb.data(), p.s.rows, p.s.c, p.act);
      else
        cuda::batchnorm_act_backward_eval(ctx, ptr(odx), ptr(odg), ptr(odb), gdy.data(), gx.data(), gg.data(),
                                          gb.data(), sa.data(), sb.data(), p.s.rows, p.s.c, p.eps, p.act);
      to_host(ctx, p.dx, odx);
      to_host(ctx, p.dgamma, odg);
      to_host(ctx, p.dbeta, odb);
      return kNoResult;
    });
  };
}
KernelJob parse_bn_backward_train(Args& a) { return parse_bn_backward(a, true); }
KernelJob parse_bn_backward_eval(Args& a) { return parse_bn_backward(a, false); }

KernelJob parse_add(Args& a) {
  const auto p = add_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16AddForward", [&](DeviceContext& ctx) {
      auto ga = rounded(ctx, p.a), gb = rounded(ctx, p.b);
      DeviceArray<bf16> gy(ctx, p.y.length);
      cuda::add_forward(ctx, gy.data(), ga.data(), gb.data(), p.y.length);
      to_host(ctx, p.y, gy);
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
      auto gb = to_device_optional(ctx, bias);
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

KernelJob parse_pool(Args& a, bool forward) {
  const auto p = pool_args(a, forward);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16GlobalAvgPool", [&](DeviceContext& ctx) {
      auto gin = rounded(ctx, p.in);
      DeviceArray<bf16> gout(ctx, p.out.length);
      if (forward)
        cuda::global_avg_pool_forward(ctx, gout.data(), gin.data(), p.n, p.hw, p.c);
      else
        cuda::global_avg_pool_backward(ctx, gout.data(), gin.data(), p.n, p.hw, p.c);
      to_host(ctx, p.out, gout);
      return kNoResult;
    });
  };
}
KernelJob parse_pool_forward(Args& a) { return parse_pool(a, true); }
KernelJob parse_pool_backward(Args& a) { return parse_pool(a, false); }

KernelJob parse_cross_entropy(Args& a) {
  const auto p = cross_entropy_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16SoftmaxCrossEntropy", [&](DeviceContext& ctx) {
      auto gz = rounded(ctx, p.logits);
      auto gl = to_device(ctx, p.labels);
      auto gd = bf16_output_for(ctx, p.dlogits);
      const cuda::LossResult r =
          cuda::softmax_cross_entropy(ctx, ptr(gd), gz.data(), gl.data(), p.n, p.k, p.smoothing);
      to_host(ctx, p.dlogits, gd);
      if (p.correct.data) p.correct.data[0] = static_cast<int32_t>(r.correct);
      return r.loss;
    });
  };
}

KernelJob parse_mse(Args& a) {
  const auto p = mse_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBf16MseLoss", [&](DeviceContext& ctx) {
      auto ga = rounded(ctx, p.a), gb = rounded(ctx, p.b);
      auto gd = bf16_output_for(ctx, p.da);
      const cuda::LossResult r = cuda::mse_loss(ctx, ptr(gd), ga.data(), gb.data(), p.a.length);
      to_host(ctx, p.da, gd);
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
