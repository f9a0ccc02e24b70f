// Layers computed through NVIDIA's libraries: dense and grouped convolution
// through cuDNN (cudnn_conv.cc), pointwise convolution and linear layers
// through cuBLAS (cublas_gemm.cc). Declared always; defined by those files
// where CMake found both libraries (PRUNAS_WITH_CUDNN), else by
// library_fallback.cc on our own kernels. Layouts as the CPU kernels: NHWC
// activations, OHWI conv weights, [out][in] linear weights.
//
// tf32: let the libraries use TF32 tensor cores for float32 math (faster,
// relative error near 5e-4); false keeps strict float32 (FMA) arithmetic.
#pragma once
#include <cuda_bf16.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cpu/conv2d.h"
#include "cuda/context.h"

namespace prunas::cuda {

void conv2d_forward(DeviceContext& ctx, float* y, const float* x, const float* w, const float* bias,
                    const cpu::Conv2dShape& s, bool tf32);
// dx, dw, db may each be null; gradients overwrite their outputs.
void conv2d_backward(DeviceContext& ctx, float* dx, float* dw, float* db, const float* dy, const float* x,
                     const float* w, const cpu::Conv2dShape& s, bool tf32);
// The cuDNN algorithm chosen for each pass and shape so far (for logs and
// benchmarks); none in builds without cuDNN.
struct ConvAlgorithmChoice {
  std::string conv;  // pass, device, shape and mode, e.g. "fwd cuda:0 n8 32x32 16->32 k3x3 s1x1 p1x1 g1 fp32"
  int algorithm;     // cuDNN's enum value; -1: none qualified, the built-in kernel runs
  std::string math;  // "fma", "default" (TF32 allowed), "tensor-op", "tensor-op-conversion"
  size_t workspace_bytes;
};
std::vector<ConvAlgorithmChoice> conv_algorithm_choices();

// y[rows, out] = x[rows, in]·Wᵀ (+ bias); the pointwise convolution is the
// same with rows = n·h·w.
void linear_forward(DeviceContext& ctx, float* y, const float* x, const float* w, const float* bias, int64_t rows,
                    int64_t in, int64_t out, bool tf32);
// dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy; any may be null.
void linear_backward(DeviceContext& ctx, float* dx, float* dw, float* db, const float* dy, const float* x,
                     const float* w, int64_t rows, int64_t in, int64_t out, bool tf32);

// Our own kernels for the same layers (fallback_conv.cu): a tiled SGEMM with
// implicit-GEMM operands for the convolutions, strict float32, deterministic.
// Always built with CUDA; library_fallback.cc routes the entry points above
// here in builds without cuDNN and cuBLAS. Same arguments, no tf32.
void fallback_conv2d_forward(DeviceContext& ctx, float* y, const float* x, const float* w, const float* bias,
                             const cpu::Conv2dShape& s);
void fallback_conv2d_backward(DeviceContext& ctx, float* dx, float* dw, float* db, const float* dy, const float* x,
                              const float* w, const cpu::Conv2dShape& s);
void fallback_linear_forward(DeviceContext& ctx, float* y, const float* x, const float* w, const float* bias,
                             int64_t rows, int64_t in, int64_t out);
void fallback_linear_backward(DeviceContext& ctx, float* dx, float* dw, float* db, const float* dy, const float* x,
                              const float* w, int64_t rows, int64_t in, int64_t out);

// The same kernels on bf16 activations (the storage of bf16_kernels.h):
// loads widened to float, float32 accumulation, y and dx rounded to bf16 once
// when stored; weights read in float32 as they are (not rounded), weight
// gradients written in float32.
void fallback_conv2d_forward(DeviceContext& ctx, __nv_bfloat16* y, const __nv_bfloat16* x, const float* w,
                             const float* bias, const cpu::Conv2dShape& s);
void fallback_conv2d_backward(DeviceContext& ctx, __nv_bfloat16* dx, float* dw, float* db, const __nv_bfloat16* dy,
                              const __nv_bfloat16* x, const float* w, const cpu::Conv2dShape& s);
void fallback_linear_forward(DeviceContext& ctx, __nv_bfloat16* y, const __nv_bfloat16* x, const float* w,
                             const float* bias, int64_t rows, int64_t in, int64_t out);
void fallback_linear_backward(DeviceContext& ctx, __nv_bfloat16* dx, float* dw, float* db, const __nv_bfloat16* dy,
                              const __nv_bfloat16* x, const float* w, int64_t rows, int64_t in, int64_t out);

}  // namespace prunas::cuda
