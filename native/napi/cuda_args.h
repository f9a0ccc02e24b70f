// What the CUDA bindings (napi/cuda_kernels.cc, cuda_bf16.cc,
// cuda_bf16_layers.cc) share: running a call's work on its device, moving
// host arrays there and back (bf16 activations rounded on the device and
// widened back), and the argument parsers of the calls that exist in float32
// and bf16. A parser reads and checks its fields in a fixed order; the
// binding reads `device` and its own options after it, so the first bad
// argument of a call is the one its error names.
#pragma once
#ifdef PRUNAS_WITH_CUDA
#include <cstdint>
#include <mutex>

#include "cpu/conv2d.h"
#include "cpu/depthwise.h"
#include "cuda/bf16_kernels.h"
#include "cuda/context.h"
#include "cuda/kernels.h"
#include "napi/args.h"

namespace prunas::napi {

// Runs `work` on the device with the device's mutex held, then waits for it.
template <typename Work>
double on_device(int device, const char* what, Work work) {
  cuda::DeviceContext& ctx = cuda::device_context(device);
  std::lock_guard<std::mutex> lock(ctx.mutex());
  ctx.activate();
  const double result = work(ctx);
  ctx.synchronize(what);
  return result;
}

// `device` (default 0) and `activation` (default none).
int device_of(Args& a);
cuda::Activation activation_of(Args& a);

template <typename T>
T* ptr(const cuda::DeviceArray<T>& d) {
  return d.count() > 0 ? d.data() : nullptr;
}

template <typename T>
cuda::DeviceArray<T> to_device(cuda::DeviceContext& ctx, Span<T> s) {
  return cuda::upload(ctx, s.data, s.length);
}

// An optional input: empty when absent.
template <typename T>
cuda::DeviceArray<T> to_device_optional(cuda::DeviceContext& ctx, Span<T> s) {
  return s.data ? cuda::upload(ctx, s.data, s.length) : cuda::DeviceArray<T>(ctx, 0);
}

template <typename T>
void to_host(cuda::DeviceContext& ctx, Span<T> s, const cuda::DeviceArray<T>& d) {
  if (s.data) cuda::copy_to_host(ctx, s.data, d.data(), sizeof(T) * s.length);
}

// A device output for an optional host output (null pointer when absent).
template <typename T>
cuda::DeviceArray<T> output_for(cuda::DeviceContext& ctx, Span<T> s) {
  return cuda::DeviceArray<T>(ctx, s.data ? s.length : 0);
}

// Host floats on the device as bf16, rounded there; empty when absent.
cuda::DeviceArray<cuda::bf16> rounded(cuda::DeviceContext& ctx, Span<float> s);
// A bf16 device output for an optional float32 host output.
cuda::DeviceArray<cuda::bf16> bf16_output_for(cuda::DeviceContext& ctx, Span<float> s);
// A bf16 device result widened to float into a host output (when given).
void to_host(cuda::DeviceContext& ctx, Span<float> s, const cuda::DeviceArray<cuda::bf16>& d);

// {n, h, w, c, kh, kw, strideH, strideW, padH, padW, x, weight, bias?, y}
struct DepthwiseForwardArgs {
  cpu::DepthwiseShape s;
  Span<float> x, weight, bias, y;
};
DepthwiseForwardArgs depthwise_forward_args(Args& a);

// {shape fields, x, weight, dy, dx?, dw?, db?}
struct DepthwiseBackwardArgs {
  cpu::DepthwiseShape s;
  Span<float> x, weight, dy, dx, dw, db;
};
DepthwiseBackwardArgs depthwise_backward_args(Args& a);

struct BnSizes {
  int64_t rows, c;
};

// {rows, channels, x, gamma, beta, y, saveMean, saveInvStd, runningMean?, runningVar?, momentum?, eps?, activation?}
struct BnForwardTrainArgs {
  BnSizes s;
  Span<float> x, gamma, beta, y, save_mean, save_invstd, running_mean, running_var;
  float momentum, eps;
  cuda::Activation act;
};
BnForwardTrainArgs bn_forward_train_args(Args& a);

// {rows, channels, x, gamma, beta, runningMean, runningVar, y, eps?, activation?}
struct BnForwardEvalArgs {
  BnSizes s;
  Span<float> x, gamma, beta, running_mean, running_var, y;
  float eps;
  cuda::Activation act;
};
BnForwardEvalArgs bn_forward_eval_args(Args& a);

// train: {rows, channels, x, gamma, beta, dy, saveMean, saveInvStd, dx?, dgamma?, dbeta?, activation?}
// eval:  {rows, channels, x, gamma, beta, dy, runningMean, runningVar, eps?, dx?, dgamma?, dbeta?, activation?}
// stat_a, stat_b: saveMean, saveInvStd (train) or runningMean, runningVar (eval)
struct BnBackwardArgs {
  BnSizes s;
  Span<float> x, gamma, beta, dy, stat_a, stat_b;
  float eps;
  Span<float> dx, dgamma, dbeta;
  cuda::Activation act;
};
BnBackwardArgs bn_backward_args(Args& a, bool training);

// {a, b, y}: the residual add
struct AddArgs {
  Span<float> a, b, y;
};
AddArgs add_args(Args& a);

// {n, hw, c, x, y} / {n, hw, c, dy, dx}: in and out are x, y forward and dy, dx backward
struct PoolArgs {
  int64_t n, hw, c;
  Span<float> in, out;
};
PoolArgs pool_args(Args& a, bool forward);

// {n, k, logits, labels, smoothing, dlogits?, correct?: Int32Array(1)} → mean loss
struct CrossEntropyArgs {
  int64_t n, k;
  Span<float> logits;
  Span<int32_t> labels;
  double smoothing;
  Span<float> dlogits;
  Span<int32_t> correct;
};
CrossEntropyArgs cross_entropy_args(Args& a);

// {a, b, da?} → mean((a − b)²)
struct MseArgs {
  Span<float> a, b, da;
};
MseArgs mse_args(Args& a);

// Dense/grouped conv and linear layers run either through the library entry
// points (cuDNN/cuBLAS where built) or straight through our own kernels
// (every CUDA build).
enum class Layers { Library, Fallback };

// {n, h, w, cin, cout, kh, kw, strideH, strideW, padH, padW, groups?, x, weight, bias?, y}
struct ConvForwardArgs {
  cpu::Conv2dShape s;
  Span<float> x, weight, bias, y;
};
ConvForwardArgs conv_forward_args(Args& a);

// {shape fields, x, weight, dy, dx?, dw?, db?}
struct ConvBackwardArgs {
  cpu::Conv2dShape s;
  Span<float> x, weight, dy, dx, dw, db;
};
ConvBackwardArgs conv_backward_args(Args& a);

// {rows, in, out, x, weight, bias?, y}: linear, and pointwise conv with rows = n·h·w
struct LinearForwardArgs {
  int64_t rows, in, out;
  Span<float> x, weight, bias, y;
};
LinearForwardArgs linear_forward_args(Args& a);

// {rows, in, out, x, weight, dy, dx?, dw?, db?}
struct LinearBackwardArgs {
  int64_t rows, in, out;
  Span<float> x, weight, dy, dx, dw, db;
};
LinearBackwardArgs linear_backward_args(Args& a);

}  // namespace prunas::napi
#endif  // PRUNAS_WITH_CUDA
