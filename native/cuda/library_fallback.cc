// The library layers' entry points in builds without cuDNN and cuBLAS: dense
// and grouped convolution, linear and pointwise layers run on our own
// kernels (fallback_conv.cu), always in strict float32 (tf32 is ignored), so
// the GPU engine links and runs the same either way. With the libraries
// (PRUNAS_WITH_CUDNN) cudnn_conv.cc and cublas_gemm.cc define these instead.
// The bf16 layers of bf16_kernels.h likewise run on the bf16 instantiation of
// the same kernels.
#include "cuda/bf16_kernels.h"
#include "cuda/library_kernels.h"

#ifndef PRUNAS_WITH_CUDNN

namespace prunas::cuda {

void conv2d_forward(DeviceContext& ctx, float* y, const float* x, const float* w, const float* bias,
                    const cpu::Conv2dShape& s, bool /*tf32*/) {
  fallback_conv2d_forward(ctx, y, x, w, bias, s);
}

void conv2d_backward(DeviceContext& ctx, float* dx, float* dw, float* db, const float* dy, const float* x,
                     const float* w, const cpu::Conv2dShape& s, bool /*tf32*/) {
  fallback_conv2d_backward(ctx, dx, dw, db, dy, x, w, s);
}

std::vector<ConvAlgorithmChoice> conv_algorithm_choices() { return {}; }

void linear_forward(DeviceContext& ctx, float* y, const float* x, const float* w, const float* bias, int64_t rows,
                    int64_t in, int64_t out, bool /*tf32*/) {
  fallback_linear_forward(ctx, y, x, w, bias, rows, in, out);
}

void linear_backward(DeviceContext& ctx, float* dx, float* dw, float* db, const float* dy, const float* x,
                     const float* w, int64_t rows, int64_t in, int64_t out, bool /*tf32*/) {
  fallback_linear_backward(ctx, dx, dw, db, dy, x, w, rows, in, out);
}

void conv2d_forward(DeviceContext& ctx, bf16* y, const bf16* x, const float* w, const float* bias,
                    const cpu::Conv2dShape& s) {
  fallback_conv2d_forward(ctx, y, x, w, bias, s);
}

void conv2d_backward(DeviceContext& ctx, bf16* dx, float* dw, float* db, const bf16* dy, const bf16* x,
                     const float* w, const cpu::Conv2dShape& s) {
  fallback_conv2d_backward(ctx, dx, dw, db, dy, x, w, s);
}

void linear_forward(DeviceContext& ctx, bf16* y, const bf16* x, const float* w, const float* bias, int64_t rows,
                    int64_t in, int64_t out) {
  fallback_linear_forward(ctx, y, x, w, bias, rows, in, out);
}

void linear_backward(DeviceContext& ctx, bf16* dx, float* dw, float* db, const bf16* dy, const bf16* x,
                     const float* w, int64_t rows, int64_t in, int64_t out) {
  fallback_linear_backward(ctx, dx, dw, db, dy, x, w, rows, in, out);
}

}  // namespace prunas::cuda

#endif  // PRUNAS_WITH_CUDNN
