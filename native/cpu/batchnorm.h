#pragma once
#include <cstdint>

namespace prunas::cpu {

// The activation a BN may be fused with (nn's conv → BN → activation unit):
// the forwards apply it to their output, the *_act backwards take the
// gradient of its output. Values and gradients as cpu/activation.h.
enum class BnAct { None, Relu, Relu6, Hswish };

// Batch normalisation over NHWC data seen as [rows = N·H·W, c]; PyTorch
// semantics: biased batch variance to normalise, unbiased variance into the
// running estimate, running = (1 − momentum)·running + momentum·batch.
//
// Channel sums are taken in double over fixed blocks of rows whose number
// depends only on the shape, combined in block order: results are the same
// bit for bit at any thread count. Every kernel works in place (y == x,
// dx == dy); any other overlap between arrays is the caller's error.

// Training: normalises with batch statistics, saves mean and 1/sqrt(var+eps)
// for the backward, updates the running statistics (skipped when both are
// null; momentum 1 replaces them by the batch statistics). Needs rows >= 2,
// like PyTorch (the unbiased variance of one value is undefined).
void batchnorm_forward_train(float* y, float* save_mean, float* save_invstd, float* running_mean,
                             float* running_var, const float* x, const float* gamma, const float* beta,
                             int64_t rows, int64_t c, float momentum, float eps, BnAct act = BnAct::None);

void batchnorm_forward_eval(float* y, const float* x, const float* gamma, const float* beta,
                            const float* running_mean, const float* running_var, int64_t rows, int64_t c,
                            float eps, BnAct act = BnAct::None);

// Backward of the training forward (batch statistics depend on x). Any of
// dx, dgamma, dbeta may be null.
void batchnorm_backward_train(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                              const float* gamma, const float* save_mean, const float* save_invstd, int64_t rows,
                              int64_t c);

// Backward of the eval forward (statistics are constants).
void batchnorm_backward_eval(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                             const float* gamma, const float* running_mean, const float* running_var, int64_t rows,
                             int64_t c, float eps);

// The same two backwards through the activation: dy is the gradient of
// act's output, whose input is recomputed from x as (x − mean)·s + β with
// s = float(γ·invstd) (training: the saved mean and invstd; eval: the
// running statistics), so nothing but x is kept from the forward. In one
// pass for the sums and one for dx; equal bit for bit to the activation's
// backward followed by the plain BN backward on that recomputed input.
void batchnorm_act_backward_train(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                                  const float* gamma, const float* beta, const float* save_mean,
                                  const float* save_invstd, int64_t rows, int64_t c, BnAct act);
void batchnorm_act_backward_eval(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                                 const float* gamma, const float* beta, const float* running_mean,
                                 const float* running_var, int64_t rows, int64_t c, float eps, BnAct act);

}  // namespace prunas::cpu
