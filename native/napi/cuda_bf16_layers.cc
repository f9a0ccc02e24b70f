// The bf16 convolution and linear layers (cuda/bf16_kernels.h) callable from
// JS on float32 host arrays, for tests: on the device the activation inputs
// (x, dy) are rounded to bf16, the bf16 layer runs, and its bf16 outputs
// (y, dx) are widened back to float32; weights, bias, dw and db stay float32.
// cudaBf16Conv2d* / cudaBf16Linear* run the library entry points (cuDNN and
// cuBLAS where the build has them), cudaBf16FallbackConv2d* /
// cudaBf16FallbackLinear* our own kernels (every CUDA build). Arguments as
// the float bindings of cuda_kernels.cc; `device` (default 0) picks the GPU.
#include "napi/cuda_bindings.h"

#ifdef PRUNAS_WITH_CUDA
#include <climits>
#include <mutex>

#include "cpu/conv2d.h"
#include "cuda/bf16_kernels.h"
#include "cuda/context.h"
#include "cuda/library_kernels.h"
#include "napi/kernel_binding.h"
#endif

namespace prunas::napi {

#ifdef PRUNAS_WITH_CUDA
namespace {

using cuda::bf16;
using cuda::DeviceArray;
using cuda::DeviceContext;

constexpr int64_t kMaxDim = 1 << 24;

enum class Layers { Library, Fallback };

// Runs `work` on the device with the device's mutex held, then waits for it.
template <typename Work>
void on_device(int device, const char* what, Work work) {
  DeviceContext& ctx = cuda::device_context(device);
  std::lock_guard<std::mutex> lock(ctx.mutex());
  ctx.activate();
  work(ctx);
  ctx.synchronize(what);
}

int device_of(Args& a) { return static_cast<int>(a.integer("device", 0, 1023, 0)); }

DeviceArray<float> upload(DeviceContext& ctx, Span<float> s) { return cuda::upload(ctx, s.data, s.length); }

// An optional float32 input or output on the device: empty when the host array is absent.
DeviceArray<float> optional_array(DeviceContext& ctx, Span<float> s, bool copy) {
  if (!s.data) return DeviceArray<float>(ctx, 0);
  return copy ? upload(ctx, s) : DeviceArray<float>(ctx, s.length);
}

// A float32 host array rounded to bf16 on the device.
DeviceArray<bf16> upload_bf16(DeviceContext& ctx, Span<float> s) {
  const DeviceArray<float> f = upload(ctx, s);
  DeviceArray<bf16> b(ctx, s.length);
  cuda::to_bf16(ctx, b.data(), f.data(), s.length);
  return b;
}

// Widens a bf16 device result into a float32 host array (when given).
void download_bf16(DeviceContext& ctx, Span<float> s, const DeviceArray<bf16>& b) {
  if (!s.data) return;
  DeviceArray<float> f(ctx, s.length);
  cuda::to_float(ctx, f.data(), b.data(), s.length);
  cuda::copy_to_host(ctx, s.data, f.data(), sizeof(float) * s.length);
}

void download(DeviceContext& ctx, Span<float> s, const DeviceArray<float>& d) {
  if (s.data) cuda::copy_to_host(ctx, s.data, d.data(), sizeof(float) * s.length);
}

template <typename T>
T* ptr(const DeviceArray<T>& d) {
  return d.count() > 0 ? d.data() : nullptr;
}

const char* name_of(const char* library, const char* fallback, Layers layers) {
  return layers == Layers::Library ? library : fallback;
}

cpu::Conv2dShape conv_shape(Args& a) {
  cpu::Conv2dShape s{};
  s.n = a.integer("n", 1, kMaxDim);
  s.h = a.integer("h", 1, kMaxDim);
  s.w = a.integer("w", 1, kMaxDim);
  s.cin = a.integer("cin", 1, kMaxDim);
  s.cout = a.integer("cout", 1, kMaxDim);
  s.kh = a.integer("kh", 1, 7);
  s.kw = a.integer("kw", 1, 7);
  s.sh = a.integer("strideH", 1, 2);
  s.sw = a.integer("strideW", 1, 2);
  s.ph = a.integer("padH", 0, 6);
  s.pw = a.integer("padW", 0, 6);
  s.groups = a.integer("groups", 1, kMaxDim, 1);
  try {
    cpu::check_conv2d_shape(s);
  } catch (const Error& e) {
    throw Error(e.kind(), a.kernel() + ": " + e.what());
  }
  return s;
}

// {n, h, w, cin, cout, kh, kw, strideH, strideW, padH, padW, groups?, x, weight, bias?, y}
KernelJob conv_forward_job(Args& a, Layers layers) {
  const auto s = conv_shape(a);
  auto x = a.f32("x", s.n * s.h * s.w * s.cin);
  auto w = a.f32("weight", s.cout * s.kh * s.kw * (s.cin / s.groups));
  auto bias = a.f32_optional("bias", s.cout);
  auto y = a.f32("y", s.n * s.ho() * s.wo() * s.cout);
  const int device = device_of(a);
  return [=] {
    on_device(device, name_of("cudaBf16Conv2dForward", "cudaBf16FallbackConv2dForward", layers),
              [&](DeviceContext& ctx) {
                auto gx = upload_bf16(ctx, x);
                auto gw = upload(ctx, w), gb = optional_array(ctx, bias, true);
                DeviceArray<bf16> gy(ctx, y.length);
                if (layers == Layers::Library)
                  cuda::conv2d_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), s);
                else
                  cuda::fallback_conv2d_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), s);
                download_bf16(ctx, y, gy);
              });
    return kNoResult;
  };
}

// {shape fields, x, weight, dy, dx?, dw?, db?}
KernelJob conv_backward_job(Args& a, Layers layers) {
  const auto s = conv_shape(a);
  auto x = a.f32("x", s.n * s.h * s.w * s.cin);
  auto w = a.f32("weight", s.cout * s.kh * s.kw * (s.cin / s.groups));
  auto dy = a.f32("dy", s.n * s.ho() * s.wo() * s.cout);
  auto dx = a.f32_optional("dx", x.length);
  auto dw = a.f32_optional("dw", w.length);
  auto db = a.f32_optional("db", s.cout);
  const int device = device_of(a);
  return [=] {
    on_device(device, name_of("cudaBf16Conv2dBackward", "cudaBf16FallbackConv2dBackward", layers),
              [&](DeviceContext& ctx) {
                auto gx = upload_bf16(ctx, x), gdy = upload_bf16(ctx, dy);
                auto gw = upload(ctx, w);
                DeviceArray<bf16> odx(ctx, dx.data ? dx.length : 0);
                auto odw = optional_array(ctx, dw, false), odb = optional_array(ctx, db, false);
                if (layers == Layers::Library)
                  cuda::conv2d_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(), gw.data(), s);
                else
                  cuda::fallback_conv2d_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(),
                                                 gw.data(), s);
                download_bf16(ctx, dx, odx);
                download(ctx, dw, odw);
                download(ctx, db, odb);
              });
    return kNoResult;
  };
}

// {rows, in, out, x, weight, bias?, y}: linear, and pointwise conv with rows = n·h·w
KernelJob linear_forward_job(Args& a, Layers layers) {
  const int64_t rows = a.integer("rows", 1, INT32_MAX), in = a.integer("in", 1, INT32_MAX);
  const int64_t out = a.integer("out", 1, INT32_MAX);
  auto x = a.f32("x", rows * in);
  auto w = a.f32("weight", out * in);
  auto bias = a.f32_optional("bias", out);
  auto y = a.f32("y", rows * out);
  const int device = device_of(a);
  return [=] {
    on_device(device, name_of("cudaBf16LinearForward", "cudaBf16FallbackLinearForward", layers),
              [&](DeviceContext& ctx) {
                auto gx = upload_bf16(ctx, x);
                auto gw = upload(ctx, w), gb = optional_array(ctx, bias, true);
                DeviceArray<bf16> gy(ctx, y.length);
                if (layers == Layers::Library)
                  cuda::linear_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), rows, in, out);
                else
                  cuda::fallback_linear_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), rows, in, out);
                download_bf16(ctx, y, gy);
              });
    return kNoResult;
  };
}

// {rows, in, out, x, weight, dy, dx?, dw?, db?}
KernelJob linear_backward_job(Args& a, Layers layers) {
  const int64_t rows = a.integer("rows", 1, INT32_MAX), in = a.integer("in", 1, INT32_MAX);
  const int64_t out = a.integer("out", 1, INT32_MAX);
  auto x = a.f32("x", rows * in);
  auto w = a.f32("weight", out * in);
  auto dy = a.f32("dy", rows * out);
  auto dx = a.f32_optional("dx", x.length);
  auto dw = a.f32_optional("dw", w.length);
  auto db = a.f32_optional("db", out);
  const int device = device_of(a);
  return [=] {
    on_device(device, name_of("cudaBf16LinearBackward", "cudaBf16FallbackLinearBackward", layers),
              [&](DeviceContext& ctx) {
                auto gx = upload_bf16(ctx, x), gdy = upload_bf16(ctx, dy);
                auto gw = upload(ctx, w);
                DeviceArray<bf16> odx(ctx, dx.data ? dx.length : 0);
                auto odw = optional_array(ctx, dw, false), odb = optional_array(ctx, db, false);
                if (layers == Layers::Library)
                  cuda::linear_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(), gw.data(), rows,
                                        in, out);
                else
                  cuda::fallback_linear_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(),
                                                 gw.data(), rows, in, out);
                download_bf16(ctx, dx, odx);
                download(ctx, dw, odw);
                download(ctx, db, odb);
              });
    return kNoResult;
  };
}

#ifdef PRUNAS_WITH_CUDNN
KernelJob parse_conv_forward(Args& a) { return conv_forward_job(a, Layers::Library); }
KernelJob parse_conv_backward(Args& a) { return conv_backward_job(a, Layers::Library); }
KernelJob parse_linear_forward(Args& a) { return linear_forward_job(a, Layers::Library); }
KernelJob parse_linear_backward(Args& a) { return linear_backward_job(a, Layers::Library); }
#endif
KernelJob parse_fallback_conv_forward(Args& a) { return conv_forward_job(a, Layers::Fallback); }
KernelJob parse_fallback_conv_backward(Args& a) { return conv_backward_job(a, Layers::Fallback); }
KernelJob parse_fallback_linear_forward(Args& a) { return linear_forward_job(a, Layers::Fallback); }
KernelJob parse_fallback_linear_backward(Args& a) { return linear_backward_job(a, Layers::Fallback); }

}  // namespace
#endif  // PRUNAS_WITH_CUDA

void init_cuda_bf16_layers(Napi::Env env, Napi::Object exports) {
#ifdef PRUNAS_WITH_CUDA
  export_kernel(env, exports, "cudaBf16FallbackConv2dForward", parse_fallback_conv_forward);
  export_kernel(env, exports, "cudaBf16FallbackConv2dBackward", parse_fallback_conv_backward);
  export_kernel(env, exports, "cudaBf16FallbackLinearForward", parse_fallback_linear_forward);
  export_kernel(env, exports, "cudaBf16FallbackLinearBackward", parse_fallback_linear_backward);
#ifdef PRUNAS_WITH_CUDNN
  export_kernel(env, exports, "cudaBf16Conv2dForward", parse_conv_forward);
  export_kernel(env, exports, "cudaBf16Conv2dBackward", parse_conv_backward);
  export_kernel(env, exports, "cudaBf16LinearForward", parse_linear_forward);
  export_kernel(env, exports, "cudaBf16LinearBackward", parse_linear_backward);
#endif
#endif
}

}  // namespace prunas::napi
