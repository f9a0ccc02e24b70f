// Fused optimizer updates: one launch updates every tensor of a step (the
// multi-tensor apply of PyTorch's foreach/fused optimizers). The tensors'
// pointers and sizes go to the device as one table (a copy from pageable
// host memory is staged before cudaMemcpyAsync returns, so the host vector
// may go right after); each thread finds its
// tensor by binary search over the table's element offsets. Elementwise and
// in the CPU's arithmetic order (native/cpu/optim.cc), torch.optim semantics.
#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "cuda/check.h"
#include "cuda/device_common.cuh"
#include "cuda/kernels.h"

namespace prunas::cuda {

namespace {

struct SgdSlot {
  float* param;
  float* buffer;
  const float* grad;
  int64_t begin;  // offset of this tensor's first element in the step's flat index
  int first;
};

struct AdamSlot {
  float* param;
  float* m;
  float* v;
  const float* grad;
  int64_t begin;
  float step_size, sqrt_correction2;  // lr/(1 − β1^t), sqrt(1 − β2^t)
};

// The slot holding flat element `i`: the last slot with begin <= i.
template <typename Slot>
__device__ int find_slot(const Slot* slots, int count, int64_t i) {
  int lo = 0, hi = count - 1;
  while (lo < hi) {
    const int mid = (lo + hi + 1) / 2;
    if (slots[mid].begin <= i)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

struct SgdScalars {
  float lr, momentum, weight_decay;
  int use_momentum, nesterov;
};

__global__ void sgd_kernel(const SgdSlot* slots, int count, int64_t total, SgdScalars h) {
  PRUNAS_GRID_STRIDE(flat, total) {
    const SgdSlot& s = slots[find_slot(slots, count, flat)];
    const int64_t i = flat - s.begin;
    float d = s.grad[i] + h.weight_decay * s.param[i];
    if (h.use_momentum) {
      s.buffer[i] = s.first ? d : h.momentum * s.buffer[i] + d;
      d = h.nesterov ? d + h.momentum * s.buffer[i] : s.buffer[i];
    }
    s.param[i] -= h.lr * d;
  }
}

struct AdamScalars {
  float one_minus_beta1, beta2, one_minus_beta2, eps, l2, decay;
};

__global__ void adam_kernel(const AdamSlot* slots, int count, int64_t total, AdamScalars h) {
  PRUNAS_GRID_STRIDE(flat, total) {
    const AdamSlot& s = slots[find_slot(slots, count, flat)];
    const int64_t i = flat - s.begin;
    const float g = s.grad[i] + h.l2 * s.param[i];
    s.param[i] *= h.decay;
    s.m[i] += h.one_minus_beta1 * (g - s.m[i]);
    s.v[i] = h.beta2 * s.v[i] + h.one_minus_beta2 * g * g;
    s.param[i] -= s.step_size * s.m[i] / (sqrtf(s.v[i]) / s.sqrt_correction2 + h.eps);
  }
}

void check_hyper(const char* name, double value, double lo, double hi, bool hi_open = false) {
  if (!std::isfinite(value) || value < lo || value > hi || (hi_open && value == hi))
    throw_range(std::string(name) + " must be a finite number in [" + std::to_string(lo) + ", " +
                std::to_string(hi) + (hi_open ? ")" : "]") + ", got " + std::to_string(value));
}

// Slots with n == 0 are dropped; returns the flat element count.
template <typename Slot, typename Tensor, typename Make>
int64_t build_slots(std::vector<Slot>& slots, const std::vector<Tensor>& tensors, Make make) {
  int64_t total = 0;
  for (size_t t = 0; t < tensors.size(); ++t) {
    if (tensors[t].n < 0) throw_range("tensor " + std::to_string(t) + " has a negative size");
    if (tensors[t].n == 0) continue;
    slots.push_back(make(tensors[t], total, t));
    total += tensors[t].n;
  }
  return total;
}

}  // namespace

void sgd_step_multi(DeviceContext& ctx, const std::vector<SgdTensor>& tensors, const SgdHyper& h) {
  check_hyper("sgd lr", h.lr, 0.0, HUGE_VAL);
  check_hyper("sgd momentum", h.momentum, 0.0, 1.0);
  check_hyper("sgd weight decay", h.weight_decay, 0.0, HUGE_VAL);
  if (h.nesterov && h.momentum == 0.0) throw_range("sgd nesterov needs momentum > 0");
  std::vector<SgdSlot> slots;
  const int64_t total = build_slots(slots, tensors, [&](const SgdTensor& t, int64_t begin, size_t index) {
    if (h.momentum != 0.0 && t.buffer == nullptr)
      throw_range("sgd with momentum needs a buffer for tensor " + std::to_string(index));
    return SgdSlot{t.param, t.buffer, t.grad, begin, t.first ? 1 : 0};
  });
  if (total == 0) return;
  DeviceArray<SgdSlot> table = upload(ctx, slots.data(), static_cast<int64_t>(slots.size()));
  const SgdScalars s{static_cast<float>(h.lr), static_cast<float>(h.momentum), static_cast<float>(h.weight_decay),
                     h.momentum != 0.0, h.nesterov};
  sgd_kernel<<<grid_for(total), kThreads, 0, ctx.stream()>>>(table.data(), static_cast<int>(slots.size()), total, s);
  PRUNAS_CHECK_LAUNCH("sgd_kernel");
}

void adam_step_multi(DeviceContext& ctx, const std::vector<AdamTensor>& tensors, const AdamHyper& h) {
  check_hyper("adam lr", h.lr, 0.0, HUGE_VAL);
  check_hyper("adam beta1", h.beta1, 0.0, 1.0, true);
  check_hyper("adam beta2", h.beta2, 0.0, 1.0, true);
  check_hyper("adam eps", h.eps, 0.0, HUGE_VAL);
  if (h.eps == 0.0) throw_range("adam eps must be > 0");
  check_hyper("adam weight decay", h.weight_decay, 0.0, HUGE_VAL);
  std::vector<AdamSlot> slots;
  const int64_t total = build_slots(slots, tensors, [&](const AdamTensor& t, int64_t begin, size_t index) {
    if (t.step < 1) throw_range("adam step of tensor " + std::to_string(index) + " must be >= 1");
    const double step = static_cast<double>(t.step);
    return AdamSlot{t.param, t.m, t.v, t.grad, begin, static_cast<float>(h.lr / (1.0 - std::pow(h.beta1, step))),
                    static_cast<float>(std::sqrt(1.0 - std::pow(h.beta2, step)))};
  });
  if (total == 0) return;
  DeviceArray<AdamSlot> table = upload(ctx, slots.data(), static_cast<int64_t>(slots.size()));
  const AdamScalars s{static_cast<float>(1.0 - h.beta1), static_cast<float>(h.beta2),
                      static_cast<float>(1.0 - h.beta2), static_cast<float>(h.eps),
                      h.decoupled ? 0.0f : static_cast<float>(h.weight_decay),
                      h.decoupled ? static_cast<float>(1.0 - h.lr * h.weight_decay) : 1.0f};
  adam_kernel<<<grid_for(total), kThreads, 0, ctx.stream()>>>(table.data(), static_cast<int>(slots.size()), total, s);
  PRUNAS_CHECK_LAUNCH("adam_kernel");
}

}  // namespace prunas::cuda
