// The CUDA kernels of the backend: host launchers over device pointers, all
// queued on the context's stream, NHWC layouts and semantics identical to the
// CPU kernels in native/cpu/ (whose shape structs and checks they reuse).
// Forward and backward of a family live side by side in one .cu file.
//
// Reductions (batchnorm statistics, weight gradients, pooling, losses, gate
// inner products) sum per-thread partials in double over chunks whose number
// depends only on the shape, then combine the chunks in a fixed order: the
// same inputs give the same bits on every run. No float atomics.
//
// Storage type: activations are float today; the elementwise and depthwise
// kernels take the element type as a template parameter (math in float) so
// a bf16 instantiation can be added beside the float one.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "cpu/depthwise.h"
#include "cuda/context.h"

namespace prunas::cuda {

enum class Activation { None = 0, Relu = 1, Relu6 = 2, Hswish = 3 };

// ---- depthwise.cu: weights [kh][kw][c]; dx, dw, db may be null ----
void depthwise_forward(DeviceContext& ctx, float* y, const float* x, const float* w, const float* bias,
                       const cpu::DepthwiseShape& s);
void depthwise_backward(DeviceContext& ctx, float* dx, float* dw, float* db, const float* dy, const float* x,
                        const float* w, const cpu::DepthwiseShape& s);

// ---- batchnorm.cu: [rows, c], fused with an activation after the affine ----
// Training: y = act(γ·x̂ + β) with batch statistics; saves mean and invstd;
// updates the running statistics when given (PyTorch's unbiased variance).
void batchnorm_act_forward_train(DeviceContext& ctx, float* y, float* save_mean, float* save_invstd,
                                 float* running_mean, float* running_var, const float* x, const float* gamma,
                                 const float* beta, int64_t rows, int64_t c, float momentum, float eps,
                                 Activation act);
void batchnorm_act_forward_eval(DeviceContext& ctx, float* y, const float* x, const float* gamma, const float* beta,
                                const float* running_mean, const float* running_var, int64_t rows, int64_t c,
                                float eps, Activation act);
// Backward through the activation (its input recomputed from x) and the
// batchnorm. Training: mean/invstd are the saved batch statistics; eval:
// pass the running mean and 1/sqrt(running var + eps) computed by
// batchnorm_eval_invstd. dx, dgamma, dbeta may be null.
void batchnorm_act_backward_train(DeviceContext& ctx, float* dx, float* dgamma, float* dbeta, const float* dy,
                                  const float* x, const float* gamma, const float* beta, const float* mean,
                                  const float* invstd, int64_t rows, int64_t c, Activation act);
void batchnorm_act_backward_eval(DeviceContext& ctx, float* dx, float* dgamma, float* dbeta, const float* dy,
                                 const float* x, const float* gamma, const float* beta, const float* running_mean,
                                 const float* running_var, int64_t rows, int64_t c, float eps, Activation act);

// ---- elementwise.cu ----
void activation_forward(DeviceContext& ctx, float* y, const float* x, int64_t n, Activation act);
void activation_backward(DeviceContext& ctx, float* dx, const float* dy, const float* x, int64_t n, Activation act);
void add_forward(DeviceContext& ctx, float* y, const float* a, const float* b, int64_t n);
// y[r, c] += bias[c] over rows × c
void add_bias(DeviceContext& ctx, float* y, const float* bias, int64_t rows, int64_t c);
// out[c] = Σ_r x[r, c] (deterministic; the bias gradient of linear layers)
void column_sums(DeviceContext& ctx, float* out, const float* x, int64_t rows, int64_t c);

// ---- pool.cu: global average pool [n, hw, c] → [n, c] ----
void global_avg_pool_forward(DeviceContext& ctx, float* y, const float* x, int64_t n, int64_t hw, int64_t c);
void global_avg_pool_backward(DeviceContext& ctx, float* dx, const float* dy, int64_t n, int64_t hw, int64_t c);

// ---- loss.cu ----
struct LossResult {
  double loss = 0.0;     // mean over rows
  int64_t correct = 0;   // cross-entropy: rows whose first argmax is the label
};
// labels must lie in [0, k) (checked on the host by the caller; a bad one
// gives a NaN loss, never an out-of-bounds read). dlogits may be null.
// Synchronizes: the scalars come back to the host.
LossResult softmax_cross_entropy(DeviceContext& ctx, float* dlogits, const float* logits, const int32_t* labels,
                                 int64_t n, int64_t k, double smoothing);
LossResult mse_loss(DeviceContext& ctx, float* da, const float* a, const float* b, int64_t n);
// The same queued only, leaving (loss, correct count; 0 for the MSE) in
// device memory out[0], out[1] (labels: device memory).
void softmax_cross_entropy_to(DeviceContext& ctx, double* out, float* dlogits, const float* logits,
                              const int32_t* labels, int64_t n, int64_t k, double smoothing);
void mse_loss_to(DeviceContext& ctx, double* out, float* da, const float* a, const float* b, int64_t n);
// out[0..3] = Σ (a − b)², Σ |a − b|, Σ b, Σ b² in double (queued only).
void regression_sums_to(DeviceContext& ctx, double* out, const float* a, const float* b, int64_t n);

// ---- optim.cu: one launch updates every tensor of a step ----
struct SgdTensor {
  float* param;
  float* buffer;  // null when momentum == 0
  const float* grad;
  int64_t n;
  bool first;     // the buffer's first step
};
struct SgdHyper {
  double lr = 0.1, momentum = 0.0, weight_decay = 0.0;
  bool nesterov = false;
};
void sgd_step_multi(DeviceContext& ctx, const std::vector<SgdTensor>& tensors, const SgdHyper& h);

struct AdamTensor {
  float* param;
  float* m;
  float* v;
  const float* grad;
  int64_t n;
  int64_t step;  // 1-based step count of these moments
};
struct AdamHyper {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.0;
  bool decoupled = false;
};
void adam_step_multi(DeviceContext& ctx, const std::vector<AdamTensor>& tensors, const AdamHyper& h);

// ---- mixed.cu: a mixed layer's combination and gate inner products ----
// y = residual + Σ_k weights[k]·outputs[k] (residual may be null), summed in k order.
void mixed_combine_forward(DeviceContext& ctx, float* y, const float* residual, const std::vector<const float*>& outputs,
                           const std::vector<float>& weights, int64_t n);
// gates[k] = ⟨outputs[k], dy⟩ in double. Synchronizes.
std::vector<double> gate_inner_products(DeviceContext& ctx, const std::vector<const float*>& outputs, const float* dy,
                                        int64_t n);

// A Prunode's channel gates (nn/prunode.h): y[r, j] = (big + (j < small ? small_gate : 0))·x[r, j], y may be x.
void channel_gate(DeviceContext& ctx, float* y, const float* x, int64_t rows, int64_t width, int64_t small, float big,
                  float small_gate);
// (Σ over all channels, Σ over the first `small`) of h·d in double. Synchronizes.
std::pair<double, double> channel_gate_dots(DeviceContext& ctx, const float* h, const float* d, int64_t rows,
                                            int64_t width, int64_t small);
// Queued forms leaving their sums in device memory, for a pass that reads its
// scalars once at its end: out[0] = ⟨a, b⟩ (added to out[0] when accumulate);
// out[0], out[1] = channel_gate_dots.
void dot_to(DeviceContext& ctx, double* out, bool accumulate, const float* a, const float* b, int64_t n);
void channel_gate_dots_to(DeviceContext& ctx, double* out, const float* h, const float* d, int64_t rows, int64_t width,
                          int64_t small);

// ---- sample.cu: path sampling with the engine's Philox stream layout ----
// probabilities: every layer's candidates concatenated, offsets[l]..offsets[l+1]
// (device arrays). Layer l reads uniforms l (single) or 3l, 3l+1, 3l+2 (pair)
// of Philox(seed, stream, counter), as nn::Supernet::sample_paths does.
// active/other: one int per layer (other = −1 when none).
void sample_paths(DeviceContext& ctx, int32_t* active, int32_t* other, const float* probabilities,
                  const int32_t* offsets, int layers, bool pair, uint64_t seed, uint64_t stream, uint64_t counter);

// out[i] = uniform i of Philox(seed, stream, counter), as Philox::uniform() draws them.
void philox_uniform_fill(DeviceContext& ctx, float* out, int64_t count, uint64_t seed, uint64_t stream,
                         uint64_t counter);

}  // namespace prunas::cuda

// ---- batch.cu: batches assembled on the device from a resident dataset ----
namespace prunas {
class Dataset;
struct Augmentation;
}  // namespace prunas

namespace prunas::cuda {

// Writes samples indices[0..count) of `data` as float NHWC into device_x as
// Dataset::fill_batch does on the host: the same Philox draws per sample,
// crop offsets, flips and normalisation arithmetic. The dataset (uint8) is
// copied to the device on its first batch there and stays until the dataset
// is destroyed; a batch uploads only its indices (host memory). Labels go to
// host_y (read on the host) and/or device_y; either may be null. The caller
// holds the device's mutex and must not destroy the dataset while holding it.
void assemble_batch(DeviceContext& ctx, const Dataset& data, const int32_t* indices, int64_t count,
                    const Augmentation& aug, uint64_t seed, uint64_t counter, float* device_x, int32_t* host_y,
                    int32_t* device_y);

// The kernel's own per-sample and per-element functions run on the host
// (host x and y): checks the draw and index logic without a GPU.
void assemble_batch_emulated(const Dataset& data, const int32_t* indices, int64_t count, const Augmentation& aug,
                             uint64_t seed, uint64_t counter, float* x, int32_t* y);

}  // namespace prunas::cuda
