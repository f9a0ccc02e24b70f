// The bf16 variants of the backend's launchers: activations (and their
// gradients) stored as __nv_bfloat16, parameters, their gradients, optimizer
// state and BN statistics in float32 (the master copies), all arithmetic in
// float32 and every reduction in double over the same fixed chunks as the
// float versions (same inputs, same bits). Semantics, shapes, null pointers
// and aliasing (y may be x where the float version allows it) are those of
// the float launchers in kernels.h and library_kernels.h; only the storage
// of the activation arguments differs. bf16 keeps float32's exponent range,
// so gradients need no loss scaling.
//
// A step under `precision: 'bf16'` (nn::Compute on CUDA) calls only these
// for activations: memory traffic and activation memory halve; convolutions
// and matrix products run on bf16 tensor cores with float32 accumulation.
#pragma once
#include <cuda_bf16.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "cpu/conv2d.h"
#include "cpu/depthwise.h"
#include "cuda/context.h"
#include "cuda/kernels.h"

namespace prunas::cuda {

using bf16 = __nv_bfloat16;

// ---- conversions (elementwise.cu): round to nearest even, and exact widening ----
void to_bf16(DeviceContext& ctx, bf16* dst, const float* src, int64_t n);
void to_float(DeviceContext& ctx, float* dst, const bf16* src, int64_t n);

// ---- depthwise.cu ----
void depthwise_forward(DeviceContext& ctx, bf16* y, const bf16* x, const float* w, const float* bias,
                       const cpu::DepthwiseShape& s);
void depthwise_backward(DeviceContext& ctx, bf16* dx, float* dw, float* db, const bf16* dy, const bf16* x,
                        const float* w, const cpu::DepthwiseShape& s);

// ---- batchnorm.cu (statistics, γ, β and their gradients in float32) ----
void batchnorm_act_forward_train(DeviceContext& ctx, bf16* y, float* save_mean, float* save_invstd,
                                 float* running_mean, float* running_var, const bf16* x, const float* gamma,
                                 const float* beta, int64_t rows, int64_t c, float momentum, float eps,
                                 Activation act);
void batchnorm_act_forward_eval(DeviceContext& ctx, bf16* y, const bf16* x, const float* gamma, const float* beta,
                                const float* running_mean, const float* running_var, int64_t rows, int64_t c,
                                float eps, Activation act);
void batchnorm_act_backward_train(DeviceContext& ctx, bf16* dx, float* dgamma, float* dbeta, const bf16* dy,
                                  const bf16* x, const float* gamma, const float* beta, const float* mean,
                                  const float* invstd, int64_t rows, int64_t c, Activation act);
void batchnorm_act_backward_eval(DeviceContext& ctx, bf16* dx, float* dgamma, float* dbeta, const bf16* dy,
                                 const bf16* x, const float* gamma, const float* beta, const float* running_mean,
                                 const float* running_var, int64_t rows, int64_t c, float eps, Activation act);

// ---- elementwise.cu ----
void add_forward(DeviceContext& ctx, bf16* y, const bf16* a, const bf16* b, int64_t n);
void add_bias(DeviceContext& ctx, bf16* y, const float* bias, int64_t rows, int64_t c);
void column_sums(DeviceContext& ctx, float* out, const bf16* x, int64_t rows, int64_t c);

// ---- pool.cu ----
void global_avg_pool_forward(DeviceContext& ctx, bf16* y, const bf16* x, int64_t n, int64_t hw, int64_t c);
void global_avg_pool_backward(DeviceContext& ctx, bf16* dx, const bf16* dy, int64_t n, int64_t hw, int64_t c);

// ---- loss.cu (the loss and the count come back to the host; synchronizes) ----
LossResult softmax_cross_entropy(DeviceContext& ctx, bf16* dlogits, const bf16* logits, const int32_t* labels,
                                 int64_t n, int64_t k, double smoothing);
LossResult mse_loss(DeviceContext& ctx, bf16* da, const bf16* a, const bf16* b, int64_t n);
void softmax_cross_entropy_to(DeviceContext& ctx, double* out, bf16* dlogits, const bf16* logits,
                              const int32_t* labels, int64_t n, int64_t k, double smoothing);
void mse_loss_to(DeviceContext& ctx, double* out, bf16* da, const bf16* a, const bf16* b, int64_t n);
void regression_sums_to(DeviceContext& ctx, double* out, const bf16* a, const bf16* b, int64_t n);

// ---- mixed.cu ----
void mixed_combine_forward(DeviceContext& ctx, bf16* y, const bf16* residual, const std::vector<const bf16*>& outputs,
                           const std::vector<float>& weights, int64_t n);
std::vector<double> gate_inner_products(DeviceContext& ctx, const std::vector<const bf16*>& outputs, const bf16* dy,
                                        int64_t n);
void channel_gate(DeviceContext& ctx, bf16* y, const bf16* x, int64_t rows, int64_t width, int64_t small, float big,
                  float small_gate);
std::pair<double, double> channel_gate_dots(DeviceContext& ctx, const bf16* h, const bf16* d, int64_t rows,
                                            int64_t width, int64_t small);
void dot_to(DeviceContext& ctx, double* out, bool accumulate, const bf16* a, const bf16* b, int64_t n);
void channel_gate_dots_to(DeviceContext& ctx, double* out, const bf16* h, const bf16* d, int64_t rows, int64_t width,
                          int64_t small);

// ---- convolution and linear layers (cudnn_conv.cc / cublas_gemm.cc, or the
// built-in kernels of fallback_conv.cu through library_fallback.cc) ----
// Weights arrive in float32 and are rounded to bf16 for the product; weight
// gradients are accumulated in float32 and written in float32.
void conv2d_forward(DeviceContext& ctx, bf16* y, const bf16* x, const float* w, const float* bias,
                    const cpu::Conv2dShape& s);
void conv2d_backward(DeviceContext& ctx, bf16* dx, float* dw, float* db, const bf16* dy, const bf16* x,
                     const float* w, const cpu::Conv2dShape& s);
void linear_forward(DeviceContext& ctx, bf16* y, const bf16* x, const float* w, const float* bias, int64_t rows,
                    int64_t in, int64_t out);
void linear_backward(DeviceContext& ctx, bf16* dx, float* dw, float* db, const bf16* dy, const bf16* x,
                     const float* w, int64_t rows, int64_t in, int64_t out);

}  // namespace prunas::cuda
