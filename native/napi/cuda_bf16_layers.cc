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
#include "cuda/bf16_kernels.h"
#include "cuda/context.h"
#include "cuda/library_kernels.h"
#include "napi/cuda_args.h"
#include "napi/kernel_binding.h"
#endif

namespace prunas::napi {

#ifdef PRUNAS_WITH_CUDA
namespace {

using cuda::bf16;
using cuda::DeviceArray;
using cuda::DeviceContext;

const char* name_of(const char* library, const char* fallback, Layers layers) {
  return layers == Layers::Library ? library : fallback;
}

KernelJob conv_forward_job(Args& a, Layers layers) {
  const auto p = conv_forward_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, name_of("cudaBf16Conv2dForward", "cudaBf16FallbackConv2dForward", layers),
                     [&](DeviceContext& ctx) {
                       auto gx = rounded(ctx, p.x);
                       auto gw = to_device(ctx, p.weight), gb = to_device_optional(ctx, p.bias);
                       DeviceArray<bf16> gy(ctx, p.y.length);
                       if (layers == Layers::Library)
                         cuda::conv2d_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), p.s);
                       else
                         cuda::fallback_conv2d_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), p.s);
                       to_host(ctx, p.y, gy);
                       return kNoResult;
                     });
  };
}

KernelJob conv_backward_job(Args& a, Layers layers) {
  const auto p = conv_backward_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, name_of("cudaBf16Conv2dBackward", "cudaBf16FallbackConv2dBackward", layers),
                     [&](DeviceContext& ctx) {
                       auto gx = rounded(ctx, p.x), gdy = rounded(ctx, p.dy);
                       auto gw = to_device(ctx, p.weight);
                       auto odx = bf16_output_for(ctx, p.dx);
                       auto odw = output_for(ctx, p.dw), odb = output_for(ctx, p.db);
                       if (layers == Layers::Library)
                         cuda::conv2d_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(), gw.data(),
                                               p.s);
                       else
                         cuda::fallback_conv2d_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(),
                                                        gw.data(), p.s);
                       to_host(ctx, p.dx, odx);
                       to_host(ctx, p.dw, odw);
                       to_host(ctx, p.db, odb);
                       return kNoResult;
                     });
  };
}

KernelJob linear_forward_job(Args& a, Layers layers) {
  const auto p = linear_forward_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, name_of("cudaBf16LinearForward", "cudaBf16FallbackLinearForward", layers),
                     [&](DeviceContext& ctx) {
                       auto gx = rounded(ctx, p.x);
                       auto gw = to_device(ctx, p.weight), gb = to_device_optional(ctx, p.bias);
                       DeviceArray<bf16> gy(ctx, p.y.length);
                       if (layers == Layers::Library)
                         cuda::linear_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), p.rows, p.in, p.out);
                       else
                         cuda::fallback_linear_forward(ctx, gy.data(), gx.data(), gw.data(), ptr(gb), p.rows, p.in,
                                                       p.out);
                       to_host(ctx, p.y, gy);
                       return kNoResult;
                     });
  };
}

KernelJob linear_backward_job(Args& a, Layers layers) {
  const auto p = linear_backward_args(a);
  const int device = device_of(a);
  return [=] {
    return on_device(device, name_of("cudaBf16LinearBackward", "cudaBf16FallbackLinearBackward", layers),
                     [&](DeviceContext& ctx) {
                       auto gx = rounded(ctx, p.x), gdy = rounded(ctx, p.dy);
                       auto gw = to_device(ctx, p.weight);
                       auto odx = bf16_output_for(ctx, p.dx);
                       auto odw = output_for(ctx, p.dw), odb = output_for(ctx, p.db);
                       if (layers == Layers::Library)
                         cuda::linear_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(), gw.data(),
                                               p.rows, p.in, p.out);
                       else
                         cuda::fallback_linear_backward(ctx, ptr(odx), ptr(odw), ptr(odb), gdy.data(), gx.data(),
                                                        gw.data(), p.rows, p.in, p.out);
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
