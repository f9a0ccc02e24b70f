// GPU kernels callable from JS on host TypedArrays: each call copies its
// inputs to the device, runs the kernel on the device's stream, copies the
// outputs back and synchronizes, so a CUDA fault surfaces as a JS Error of
// this call. Argument names and checks follow the CPU bindings; `device`
// (default 0) picks the GPU. Without CUDA only gpuInfo() exists.
#include "napi/cuda_bindings.h"

#include <cmath>
#include <string>
#include <vector>

#include "napi/kernel_binding.h"

#ifdef PRUNAS_WITH_CUDA
#include <mutex>

#include "cuda/context.h"
#include "cuda/device_info.h"
#include "cuda/kernels.h"
#include "cuda/library_kernels.h"
#include "data/dataset.h"
#include "napi/cuda_args.h"
#include "napi/families.h"
#endif
#ifdef PRUNAS_WITH_CUDNN
#include <cublas_v2.h>
#include <cudnn.h>
#endif

namespace prunas::napi {

namespace {

Napi::Value gpu_info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  Napi::Array devices = Napi::Array::New(env);
#ifdef PRUNAS_WITH_CUDA
  const int count = cuda_device_count();
  for (int d = 0; d < count; ++d) {
    Napi::Object dev = Napi::Object::New(env);
    dev.Set("index", d);
    dev.Set("name", cuda_device_name(d));
    dev.Set("computeCapability", cuda_device_capability(d));
    dev.Set("memoryBytes", cuda_device_memory_bytes(d));
    devices.Set(static_cast<uint32_t>(d), dev);
  }
  o.Set("compiled", true);
#ifdef PRUNAS_CUDA_EMULATION
  o.Set("emulated", true);
#else
  o.Set("emulated", false);
#endif
  o.Set("runtime", cuda_runtime_version());
  o.Set("driver", cuda_driver_version());
#ifdef PRUNAS_WITH_CUDNN
  o.Set("libraries", true);
  // the loaded libraries' versions: cudnnGetVersion() as the number CUDNN_VERSION
  // spells, cuBLAS as "major.minor.patch"
  o.Set("cudnnVersion", static_cast<double>(cudnnGetVersion()));
  int cublas_major = 0, cublas_minor = 0, cublas_patch = 0;
  if (cublasGetProperty(MAJOR_VERSION, &cublas_major) == CUBLAS_STATUS_SUCCESS &&
      cublasGetProperty(MINOR_VERSION, &cublas_minor) == CUBLAS_STATUS_SUCCESS &&
      cublasGetProperty(PATCH_LEVEL, &cublas_patch) == CUBLAS_STATUS_SUCCESS)
    o.Set("cublasVersion", std::to_string(cublas_major) + "." + std::to_string(cublas_minor) + "." +
                               std::to_string(cublas_patch));
#else
  o.Set("libraries", false);
#endif
  if (count == 0) o.Set("reason", "the addon has CUDA, but no CUDA device or driver is present");
#else
  o.Set("compiled", false);
  o.Set("emulated", false);
  o.Set("libraries", false);
  o.Set("reason", "the addon was built without CUDA (no nvcc at build time)");
#endif
  o.Set("devices", devices);
  return o;
}

#ifdef PRUNAS_WITH_CUDA
using cuda::Activation;
using cuda::DeviceArray;
using cuda::DeviceContext;

KernelJob parse_depthwise_forward(Args& a) {
  const auto p = depthwise_forward_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaDepthwiseForward", [&](DeviceContext& ctx) {
      auto dx = to_device(ctx, p.x), dw = to_device(ctx, p.weight), db = to_device_optional(ctx, p.bias);
      DeviceArray<float> dy(ctx, p.y.length);
      cuda::depthwise_forward(ctx, dy.data(), dx.data(), dw.data(), ptr(db), p.s);
      to_host(ctx, p.y, dy);
      return kNoResult;
    });
  };
}

KernelJob parse_depthwise_backward(Args& a) {
  const auto p = depthwise_backward_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaDepthwiseBackward", [&](DeviceContext& ctx) {
      auto gx = to_device(ctx, p.x), gw = to_device(ctx, p.weight), gdy = to_device(ctx, p.dy);
      auto odx = output_for(ctx, p.dx), odw = output_for(ctx, p.dw), odb = output_for(ctx, p.db);
      cuda::depthwise_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(), gw.data(), p.s);
      to_host(ctx, p.dx, odx);
      to_host(ctx, p.dw, odw);
      to_host(ctx, p.db, odb);
      return kNoResult;
    });
  };
}

KernelJob parse_bn_forward_train(Args& a) {
  const auto p = bn_forward_train_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBatchnormForwardTrain", [&](DeviceContext& ctx) {
      auto gx = to_device(ctx, p.x), gg = to_device(ctx, p.gamma), gb = to_device(ctx, p.beta);
      auto rm = to_device_optional(ctx, p.running_mean), rv = to_device_optional(ctx, p.running_var);
      DeviceArray<float> gy(ctx, p.y.length), sm(ctx, p.s.c), si(ctx, p.s.c);
      cuda::batchnorm_act_forward_train(ctx, gy.data(), sm.data(), si.data(), ptr(rm), ptr(rv), gx.data(), gg.data(),
                                        gb.data(), p.s.rows, p.s.c, p.momentum, p.eps, p.act);
      to_host(ctx, p.y, gy);
      to_host(ctx, p.save_mean, sm);
      to_host(ctx, p.save_invstd, si);
      to_host(ctx, p.running_mean, rm);
      to_host(ctx, p.running_var, rv);
      return kNoResult;
    });
  };
}

KernelJob parse_bn_forward_eval(Args& a) {
  const auto p = bn_forward_eval_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBatchnormForwardEval", [&](DeviceContext& ctx) {
      auto gx = to_device(ctx, p.x), gg = to_device(ctx, p.gamma), gb = to_device(ctx, p.beta);
      auto rm = to_device(ctx, p.running_mean), rv = to_device(ctx, p.running_var);
      DeviceArray<float> gy(ctx, p.y.length);
      cuda::batchnorm_act_forward_eval(ctx, gy.data(), gx.data(), gg.data(), gb.data(), rm.data(), rv.data(),
                                       p.s.rows, p.s.c, p.eps, p.act);
      to_host(ctx, p.y, gy);
      return kNoResult;
    });
  };
}

KernelJob parse_bn_backward(Args& a, bool training) {
  const auto p = bn_backward_args(a, training);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaBatchnormBackward", [&](DeviceContext& ctx) {
      auto gx = to_device(ctx, p.x), gg = to_device(ctx, p.gamma), gb = to_device(ctx, p.beta);
      auto gdy = to_device(ctx, p.dy), sa = to_device(ctx, p.stat_a), sb = to_device(ctx, p.stat_b);
      auto odx = output_for(ctx, p.dx), odg = output_for(ctx, p.dgamma), odb = output_for(ctx, p.dbeta);
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

// {x, y, activation} / {x, dy, dx, activation}
KernelJob parse_activation_forward(Args& a) {
  auto x = a.f32("x", -1);
  auto y = a.f32("y", x.length);
  const Activation act = activation_of(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaActivationForward", [&](DeviceContext& ctx) {
      auto gx = to_device(ctx, x);
      DeviceArray<float> gy(ctx, y.length);
      cuda::activation_forward(ctx, gy.data(), gx.data(), x.length, act);
      to_host(ctx, y, gy);
      return kNoResult;
    });
  };
}

KernelJob parse_activation_backward(Args& a) {
  auto x = a.f32("x", -1);
  auto dy = a.f32("dy", x.length);
  auto dx = a.f32("dx", x.length);
  const Activation act = activation_of(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaActivationBackward", [&](DeviceContext& ctx) {
      auto gx = to_device(ctx, x), gdy = to_device(ctx, dy);
      DeviceArray<float> gdx(ctx, dx.length);
      cuda::activation_backward(ctx, gdx.data(), gdy.data(), gx.data(), x.length, act);
      to_host(ctx, dx, gdx);
      return kNoResult;
    });
  };
}

KernelJob parse_add(Args& a) {
  const auto p = add_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaAddForward", [&](DeviceContext& ctx) {
      auto ga = to_device(ctx, p.a), gb = to_device(ctx, p.b);
      DeviceArray<float> gy(ctx, p.y.length);
      cuda::add_forward(ctx, gy.data(), ga.data(), gb.data(), p.y.length);
      to_host(ctx, p.y, gy);
      return kNoResult;
    });
  };
}

KernelJob parse_pool(Args& a, bool forward) {
  const auto p = pool_args(a, forward);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaGlobalAvgPool", [&](DeviceContext& ctx) {
      auto gin = to_device(ctx, p.in);
      DeviceArray<float> gout(ctx, p.out.length);
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
    return on_device(device, "cudaSoftmaxCrossEntropy", [&](DeviceContext& ctx) {
      auto gz = to_device(ctx, p.logits);
      auto gl = to_device(ctx, p.labels);
      auto gd = output_for(ctx, p.dlogits);
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
    return on_device(device, "cudaMseLoss", [&](DeviceContext& ctx) {
      auto ga = to_device(ctx, p.a), gb = to_device(ctx, p.b);
      auto gd = output_for(ctx, p.da);
      const cuda::LossResult r = cuda::mse_loss(ctx, ptr(gd), ga.data(), gb.data(), p.a.length);
      to_host(ctx, p.da, gd);
      return r.loss;
    });
  };
}
// Several tensors laid end to end in one array: sizes[t] elements each.
std::vector<int64_t> tensor_offsets(Args& a, Span<int32_t> sizes, int64_t total) {
  std::vector<int64_t> offsets{0};
  for (int64_t t = 0; t < sizes.length; ++t) {
    if (sizes.data[t] < 0) throw_range(a.where("sizes") + "[" + std::to_string(t) + "] must be >= 0");
    offsets.push_back(offsets.back() + sizes.data[t]);
  }
  if (offsets.back() != total)
    throw_range(a.where("sizes") + " must add up to " + std::to_string(total) + ", got " +
                std::to_string(offsets.back()));
  return offsets;
}

// {param, grad, buffer?, sizes: Int32Array (tensors end to end), lr, momentum?, nesterov?, weightDecay?, first?}
KernelJob parse_sgd(Args& a) {
  auto param = a.f32("param", -1);
  auto grad = a.f32("grad", param.length);
  auto buffer = a.f32_optional("buffer", param.length);
  auto sizes = a.i32("sizes", -1);
  const std::vector<int64_t> offsets = tensor_offsets(a, sizes, param.length);
  cuda::SgdHyper h;
  h.lr = a.number("lr", 0.0, 1e30);
  h.momentum = a.number("momentum", 0.0, 1.0, 0.0);
  h.nesterov = a.boolean("nesterov", false);
  h.weight_decay = a.number("weightDecay", 0.0, 1e30, 0.0);
  if (h.momentum != 0.0 && buffer.data == nullptr) throw_range(a.where("buffer") + " is required when momentum > 0");
  const bool first = a.boolean("first", false);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaSgdStep", [&](DeviceContext& ctx) {
      auto gp = to_device(ctx, param), gg = to_device(ctx, grad), gb = to_device_optional(ctx, buffer);
      std::vector<cuda::SgdTensor> tensors;
      for (size_t t = 0; t + 1 < offsets.size(); ++t)
        tensors.push_back({gp.data() + offsets[t], gb.count() ? gb.data() + offsets[t] : nullptr,
                           gg.data() + offsets[t], offsets[t + 1] - offsets[t], first});
      cuda::sgd_step_multi(ctx, tensors, h);
      to_host(ctx, param, gp);
      to_host(ctx, buffer, gb);
      return kNoResult;
    });
  };
}

// {param, grad, m, v, sizes, steps: Int32Array (per tensor), lr, beta1?, beta2?, eps?, weightDecay?, decoupled?}
KernelJob parse_adam(Args& a) {
  auto param = a.f32("param", -1);
  auto grad = a.f32("grad", param.length);
  auto m = a.f32("m", param.length);
  auto v = a.f32("v", param.length);
  auto sizes = a.i32("sizes", -1);
  auto steps = a.i32("steps", sizes.length);
  const std::vector<int64_t> offsets = tensor_offsets(a, sizes, param.length);
  cuda::AdamHyper h;
  h.lr = a.number("lr", 0.0, 1e30);
  h.beta1 = a.number("beta1", 0.0, 0.999999, 0.9);
  h.beta2 = a.number("beta2", 0.0, 0.999999, 0.999);
  h.eps = a.number("eps", 1e-30, 1.0, 1e-8);
  h.weight_decay = a.number("weightDecay", 0.0, 1e30, 0.0);
  h.decoupled = a.boolean("decoupled", false);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaAdamStep", [&](DeviceContext& ctx) {
      auto gp = to_device(ctx, param), gg = to_device(ctx, grad), gm = to_device(ctx, m), gv = to_device(ctx, v);
      std::vector<cuda::AdamTensor> tensors;
      for (size_t t = 0; t + 1 < offsets.size(); ++t)
        tensors.push_back({gp.data() + offsets[t], gm.data() + offsets[t], gv.data() + offsets[t],
                           gg.data() + offsets[t], offsets[t + 1] - offsets[t], steps.data[t]});
      cuda::adam_step_multi(ctx, tensors, h);
      to_host(ctx, param, gp);
      to_host(ctx, m, gm);
      to_host(ctx, v, gv);
      return kNoResult;
    });
  };
}

// {outputs: K·n values (candidates end to end), weights: K, residual?: n, y: n}
KernelJob parse_mixed_combine(Args& a) {
  auto weights = a.f32("weights", -1);
  if (weights.length < 1) throw_range(a.where("weights") + " must not be empty");
  auto y = a.f32("y", -1);
  auto outputs = a.f32("outputs", weights.length * y.length);
  auto residual = a.f32_optional("residual", y.length);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaMixedCombine", [&](DeviceContext& ctx) {
      auto go = to_device(ctx, outputs), gr = to_device_optional(ctx, residual);
      DeviceArray<float> gy(ctx, y.length);
      std::vector<const float*> list;
      for (int64_t k = 0; k < weights.length; ++k) list.push_back(go.data() + k * y.length);
      cuda::mixed_combine_forward(ctx, gy.data(), ptr(gr), list, std::vector<float>(weights.data,
                                  weights.data + weights.length), y.length);
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
  auto outputs = a.f32("outputs", gates.length * dy.length);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaGateInnerProducts", [&](DeviceContext& ctx) {
      auto go = to_device(ctx, outputs), gdy = to_device(ctx, dy);
      std::vector<const float*> list;
      for (int64_t k = 0; k < gates.length; ++k) list.push_back(go.data() + k * dy.length);
      const std::vector<double> g = cuda::gate_inner_products(ctx, list, gdy.data(), dy.length);
      for (int64_t k = 0; k < gates.length; ++k) gates.data[k] = static_cast<float>(g[k]);
      return kNoResult;
    });
  };
}

// {probabilities, offsets: Int32Array(L + 1), pair, seed, counter, stream?, active: Int32Array(L), other: Int32Array(L)}
KernelJob parse_sample_paths(Args& a) {
  auto probabilities = a.f32("probabilities", -1);
  auto offsets = a.i32("offsets", -1);
  if (offsets.length < 2) throw_range(a.where("offsets") + " needs at least 2 entries");
  const int layers = static_cast<int>(offsets.length - 1);
  if (offsets.data[0] != 0) throw_range(a.where("offsets") + "[0] must be 0");
  for (int l = 0; l < layers; ++l)
    if (offsets.data[l + 1] <= offsets.data[l])
      throw_range(a.where("offsets") + " must increase, offsets[" + std::to_string(l + 1) + "] does not");
  if (offsets.data[layers] != probabilities.length)
    throw_range(a.where("offsets") + "[" + std::to_string(layers) + "] must equal the number of probabilities, " +
                std::to_string(probabilities.length));
  for (int64_t i = 0; i < probabilities.length; ++i)
    if (!(probabilities.data[i] >= 0.0f) || !std::isfinite(probabilities.data[i]))
      throw_range(a.where("probabilities") + "[" + std::to_string(i) + "] must be a finite number >= 0");
  const bool pair = a.boolean("pair", false);
  const auto seed = static_cast<uint64_t>(a.integer("seed", 0, (int64_t{1} << 53) - 1));
  const auto counter = static_cast<uint64_t>(a.integer("counter", 0, (int64_t{1} << 53) - 1));
  const auto stream = static_cast<uint64_t>(a.integer("stream", 0, (int64_t{1} << 53) - 1, 2));
  auto active = a.i32("active", layers);
  auto other = a.i32("other", layers);
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaSamplePaths", [&](DeviceContext& ctx) {
      auto gp = to_device(ctx, probabilities);
      auto go = to_device(ctx, offsets);
      DeviceArray<int32_t> ga(ctx, layers), gb(ctx, layers);
      cuda::sample_paths(ctx, ga.data(), gb.data(), gp.data(), go.data(), layers, pair, seed, stream, counter);
      to_host(ctx, active, ga);
      to_host(ctx, other, gb);
      return kNoResult;
    });
  };
}

// {out, seed, stream?, offset?}: uniforms of a Philox stream drawn on the device
KernelJob parse_philox_uniform(Args& a) {
  auto out = a.f32("out", -1);
  const auto seed = static_cast<uint64_t>(a.integer("seed", 0, (int64_t{1} << 53) - 1));
  const auto stream = static_cast<uint64_t>(a.integer("stream", 0, (int64_t{1} << 53) - 1, 0));
  const auto offset = static_cast<uint64_t>(a.integer("offset", 0, (int64_t{1} << 53) - 1, 0));
  const int device = device_of(a);
  return [=] {
    return on_device(device, "cudaPhiloxUniform", [&](DeviceContext& ctx) {
      DeviceArray<float> g(ctx, out.length);
      cuda::philox_uniform_fill(ctx, g.data(), out.length, seed, stream, offset);
      to_host(ctx, out, g);
      return kNoResult;
    });
  };
}

// Conv and linear layers: the library entry points (cudaConv2d*,
// cudaLinear*; their arguments and tf32?) or our own kernels (cudaFallback*).
KernelJob conv_forward_job(Args& a, Layers layers) {
  const auto p = conv_forward_args(a);
  const bool tf32 = layers == Layers::Library && a.boolean("tf32", false);
  const int device = device_of(a);
  return [=] {
    const char* what = layers == Layers::Library ? "cudaConv2dForward" : "cudaFallbackConv2dForward";
    return on_device(device, what, [&](DeviceContext& ctx) {
      auto gx = to_device(ctx, p.x), gw = to_device(ctx, p.weight), gb = to_device_optional(ctx, p.bias);
      DeviceArray<float> gy(ctx, p.y.length);
      if (layers == Layers::Library)
        cuda::conv2d_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), p.s, tf32);
      else
        cuda::fallback_conv2d_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), p.s);
      to_host(ctx, p.y, gy);
      return kNoResult;
    });
  };
}

KernelJob conv_backward_job(Args& a, Layers layers) {
  const auto p = conv_backward_args(a);
  const bool tf32 = layers == Layers::Library && a.boolean("tf32", false);
  const int device = device_of(a);
  return [=] {
    const char* what = layers == Layers::Library ? "cudaConv2dBackward" : "cudaFallbackConv2dBackward";
    return on_device(device, what, [&](DeviceContext& ctx) {
      auto gx = to_device(ctx, p.x), gw = to_device(ctx, p.weight), gdy = to_device(ctx, p.dy);
      auto odx = output_for(ctx, p.dx), odw = output_for(ctx, p.dw), odb = output_for(ctx, p.db);
      if (layers == Layers::Library)
        cuda::conv2d_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(), gw.data(), p.s, tf32);
      else
        cuda::fallback_conv2d_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(), gw.data(), p.s);
      to_host(ctx, p.dx, odx);
      to_host(ctx, p.dw, odw);
      to_host(ctx, p.db, odb);
      return kNoResult;
    });
  };
}

KernelJob linear_forward_job(Args& a, Layers layers) {
  const auto p = linear_forward_args(a);
  const bool tf32 = layers == Layers::Library && a.boolean("tf32", false);
  const int device = device_of(a);
  return [=] {
    const char* what = layers == Layers::Library ? "cudaLinearForward" : "cudaFallbackLinearForward";
    return on_device(device, what, [&](DeviceContext& ctx) {
      auto gx = to_device(ctx, p.x), gw = to_device(ctx, p.weight), gb = to_device_optional(ctx, p.bias);
      DeviceArray<float> gy(ctx, p.y.length);
      if (layers == Layers::Library)
        cuda::linear_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), p.rows, p.in, p.out, tf32);
      else
        cuda::fallback_linear_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), p.rows, p.in, p.out);
      to_host(ctx, p.y, gy);
      return kNoResult;
    });
  };
}

KernelJob linear_backward_job(Args& a, Layers layers) {
  const auto p = linear_backward_args(a);
  const bool tf32 = layers == Layers::Library && a.boolean("tf32", false);
  const int device = device_of(a);
  return [=] {
    const char* what = layers == Layers::Library ? "cudaLinearBackward" : "cudaFallbackLinearBackward";
    return on_device(device, what, [&](DeviceContext& ctx) {
      auto gx = to_device(ctx, p.x), gw = to_device(ctx, p.weight), gdy = to_device(ctx, p.dy);
      auto odx = output_for(ctx, p.dx), odw = output_for(ctx, p.dw), odb = output_for(ctx, p.db);
      if (layers == Layers::Library)
        cuda::linear_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(), gw.data(), p.rows, p.in,
                              p.out, tf32);
      else
        cuda::fallback_linear_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(), gw.data(), p.rows,
                                       p.in, p.out);
      to_host(ctx, p.dx, odx);
      to_host(ctx, p.dw, odw);
      to_host(ctx, p.db, odb);
      return kNoResult;
    });
  };
}

#ifdef PRUNAS_WITH_CUDNN
KernelJob parse_conv_forward(Args& a) { return conv_forward_job(a, Layers::Library); }
KernelJob parse_conv_backward(Args& a) { return conv_backward_job(a, Layers::Library); }
KernelJob parse_linear_forward(Args& a) { return linear_forward_job(a, Layers::Library); }
KernelJob parse_linear_backward(Args& a) { return linear_backward_job(a, Layers::Library); }
#endif  // PRUNAS_WITH_CUDNN
KernelJob parse_fallback_conv_forward(Args& a) { return conv_forward_job(a, Layers::Fallback); }
KernelJob parse_fallback_conv_backward(Args& a) { return conv_backward_job(a, Layers::Fallback); }
KernelJob parse_fallback_linear_forward(Args& a) { return linear_forward_job(a, Layers::Fallback); }
KernelJob parse_fallback_linear_backward(Args& a) { return linear_backward_job(a, Layers::Fallback); }

// cudaFillBatch({dataset, indices, x, y, mean, std, seed, counter?, pad?, hflip?, device?, emulate?}): the
// batch assembled on the device from the dataset resident there, labels from
// the kernel, as Dataset.fillBatch takes it; with emulate, the kernel's own
// functions run on the host instead (no device needed).
Napi::Value fill_batch(const Napi::CallbackInfo& info) {
  try {
    Args a(info, "cudaFillBatch");
    std::shared_ptr<const Dataset> data = dataset_of(info[0].As<Napi::Object>().Get("dataset"), a.where("dataset"));
    auto indices = a.i32("indices", -1);
    auto x = a.f32("x", indices.length * data->sample_size());
    auto y = a.i32("y", indices.length);
    Augmentation aug;
    aug.pad = static_cast<int>(a.integer("pad", 0, 64, 0));
    aug.hflip = a.boolean("hflip", false);
    auto mean = a.f32("mean", data->channels());
    auto std = a.f32("std", data->channels());
    aug.mean.assign(mean.data, mean.data + mean.length);
    aug.std.assign(std.data, std.data + std.length);
    for (int64_t c = 0; c < std.length; ++c)
      if (!(std.data[c] > 0.0f) || !std::isfinite(std.data[c]))
        throw_range(a.where("std") + "[" + std::to_string(c) + "] must be a finite number > 0");
    const auto seed = static_cast<uint64_t>(a.integer("seed", 0, (int64_t{1} << 53) - 1));
    const auto counter = static_cast<uint64_t>(a.integer("counter", 0, (int64_t{1} << 53) - 1, 0));
    const int device = device_of(a);
    if (a.boolean("emulate", false)) {
      named(a.kernel(), [&] {
        cuda::assemble_batch_emulated(*data, indices.data, indices.length, aug, seed, counter, x.data, y.data);
      });
      return info.Env().Undefined();
    }
    on_device(device, "cudaFillBatch", [&](DeviceContext& ctx) {
      DeviceArray<float> gx(ctx, x.length);
      DeviceArray<int32_t> gy(ctx, y.length);
      named(a.kernel(), [&] {
        cuda::assemble_batch(ctx, *data, indices.data, indices.length, aug, seed, counter, gx.data(), nullptr,
                             gy.data());
      });
      to_host(ctx, x, gx);
      to_host(ctx, y, gy);
      return kNoResult;
    });
    return info.Env().Undefined();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw_js(info.Env(), e);
  }
}

// cudaMemoryStats(device?): the caching allocator's counters.
Napi::Value memory_stats(const Napi::CallbackInfo& info) {
  const int device = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 0;
  try {
    DeviceContext& ctx = cuda::device_context(device);
    std::lock_guard<std::mutex> lock(ctx.mutex());
    const cuda::AllocatorStats& s = ctx.allocator().stats();
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("inUse", static_cast<double>(s.in_use));
    o.Set("cached", static_cast<double>(s.cached));
    o.Set("peakInUse", static_cast<double>(s.peak_in_use));
    o.Set("reserved", static_cast<double>(s.reserved));
    o.Set("driverAllocations", static_cast<double>(s.driver_allocations));
    o.Set("cacheHits", static_cast<double>(s.cache_hits));
    return o;
  } catch (const std::exception& e) {
    throw_js(info.Env(), e);
  }
}

// cudaConvAlgorithms(): the cuDNN algorithm chosen per pass and shape so far.
Napi::Value conv_algorithms(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::vector<cuda::ConvAlgorithmChoice> choices = cuda::conv_algorithm_choices();
  Napi::Array out = Napi::Array::New(env, choices.size());
  for (size_t i = 0; i < choices.size(); ++i) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("conv", choices[i].conv);
    o.Set("algorithm", choices[i].algorithm < 0 ? env.Null() : Napi::Number::New(env, choices[i].algorithm));
    o.Set("math", choices[i].math);
    o.Set("workspaceBytes", static_cast<double>(choices[i].workspace_bytes));
    out.Set(static_cast<uint32_t>(i), o);
  }
  return out;
}
#endif  // PRUNAS_WITH_CUDA

}  // namespace

void init_cuda(Napi::Env env, Napi::Object exports) {
  exports.Set("gpuInfo", Napi::Function::New(env, gpu_info, "gpuInfo"));
#ifdef PRUNAS_WITH_CUDA
  exports.Set("cudaMemoryStats", Napi::Function::New(env, memory_stats, "cudaMemoryStats"));
  exports.Set("cudaConvAlgorithms", Napi::Function::New(env, conv_algorithms, "cudaConvAlgorithms"));
  exports.Set("cudaFillBatch", Napi::Function::New(env, fill_batch, "cudaFillBatch"));
  export_kernel(env, exports, "cudaDepthwiseForward", parse_depthwise_forward);
  export_kernel(env, exports, "cudaDepthwiseBackward", parse_depthwise_backward);
  export_kernel(env, exports, "cudaBatchnormForwardTrain", parse_bn_forward_train);
  export_kernel(env, exports, "cudaBatchnormForwardEval", parse_bn_forward_eval);
  export_kernel(env, exports, "cudaBatchnormBackwardTrain", parse_bn_backward_train);
  export_kernel(env, exports, "cudaBatchnormBackwardEval", parse_bn_backward_eval);
  export_kernel(env, exports, "cudaActivationForward", parse_activation_forward);
  export_kernel(env, exports, "cudaActivationBackward", parse_activation_backward);
  export_kernel(env, exports, "cudaAddForward", parse_add);
  export_kernel(env, exports, "cudaGlobalAvgPoolForward", parse_pool_forward);
  export_kernel(env, exports, "cudaGlobalAvgPoolBackward", parse_pool_backward);
  export_kernel(env, exports, "cudaSoftmaxCrossEntropy", parse_cross_entropy);
  export_kernel(env, exports, "cudaMseLoss", parse_mse);
  export_kernel(env, exports, "cudaSgdStep", parse_sgd);
  export_kernel(env, exports, "cudaAdamStep", parse_adam);
  export_kernel(env, exports, "cudaMixedCombine", parse_mixed_combine);
  export_kernel(env, exports, "cudaGateInnerProducts", parse_gate_inner_products);
  export_kernel(env, exports, "cudaSamplePaths", parse_sample_paths);
  export_kernel(env, exports, "cudaPhiloxUniform", parse_philox_uniform);
  export_kernel(env, exports, "cudaFallbackConv2dForward", parse_fallback_conv_forward);
  export_kernel(env, exports, "cudaFallbackConv2dBackward", parse_fallback_conv_backward);
  export_kernel(env, exports, "cudaFallbackLinearForward", parse_fallback_linear_forward);
  export_kernel(env, exports, "cudaFallbackLinearBackward", parse_fallback_linear_backward);
#ifdef PRUNAS_WITH_CUDNN
  export_kernel(env, exports, "cudaConv2dForward", parse_conv_forward);
  export_kernel(env, exports, "cudaConv2dBackward", parse_conv_backward);
  export_kernel(env, exports, "cudaLinearForward", parse_linear_forward);
  export_kernel(env, exports, "cudaLinearBackward", parse_linear_backward);
#endif
#endif
}

}  // namespace prunas::napi
