// The CUDA implementation of nn::Compute: every op a launcher of native/cuda
// on the device's one stream, storage from the caching allocator, parameters
// and BN statistics mirrored on the device between steps. The scalars a pass
// returns (losses, gate inner products) stay in a device array until the
// pass reads them all at its end: with explicit downloads and copies back,
// the only waits for the stream.
#include <algorithm>
#include <unordered_map>

#include "core/error.h"
#include "cuda/check.h"
#include "cuda/context.h"
#include "cuda/bf16_kernels.h"
#include "cuda/kernels.h"
#include "cuda/library_kernels.h"
#include "nn/compute.h"

namespace prunas::cuda {

namespace {

Activation activation_of(nn::Act act) {
  switch (act) {
    case nn::Act::None: return Activation::None;
    case nn::Act::Relu: return Activation::Relu;
    case nn::Act::Relu6: return Activation::Relu6;
    case nn::Act::Hswish: return Activation::Hswish;
  }
  return Activation::None;
}

cpu::Conv2dShape conv_shape(const nn::ConvShape& s) {
  const int64_t pad = s.kernel / 2;
  return {s.n, s.h, s.w, s.cin, s.cout, s.kernel, s.kernel, s.stride, s.stride, pad, pad, 1};
}

cpu::DepthwiseShape depthwise_shape(const nn::ConvShape& s) {
  const int64_t pad = s.kernel / 2;
  return {s.n, s.h, s.w, s.cin, s.kernel, s.kernel, s.stride, s.stride, pad, pad};
}

size_t bytes_of(int64_t count) { return sizeof(float) * static_cast<size_t>(count); }

// Data storage under bf16: the nn layer's float* names bf16 elements.
bf16* B(float* p) { return reinterpret_cast<bf16*>(p); }
const bf16* B(const float* p) { return reinterpret_cast<const bf16*>(p); }

class CudaCompute final : public nn::Compute {
 public:
  // precision: "fp32", "tf32" or "bf16" (checked by make_compute)
  CudaCompute(int device, const std::string& precision)
      : ctx_(device_context(device)), tf32_(precision == "tf32"), bf16_(precision == "bf16") {}
  // Takes the device's mutex: the allocator is shared with every other job on
  // this device (the owner must not hold it here).
  ~CudaCompute() override {
    try {
      std::lock_guard<std::mutex> lock(ctx_.mutex());
      ctx_.activate();
      drop_mirrors();
      if (results_) ctx_.allocator().release(results_);
    } catch (...) {
      // a failing device at exit: the memory goes with the process
    }
  }

  std::string device() const override { return "cuda:" + std::to_string(ctx_.device()); }
  int cuda_device() const override { return ctx_.device(); }
  std::unique_lock<std::mutex> enter() override {
    std::unique_lock<std::mutex> lock(ctx_.mutex());
    ctx_.activate();
    return lock;
  }
  double time_ms(const std::function<void()>& work) override {
    Event start, end;
    start.record(ctx_);
    work();
    end.record(ctx_);
    end.wait();
    return end.elapsed_ms_since(start);
  }
  std::unique_ptr<Replay> capture(const std::function<void()>& record) override {
    class GraphReplay final : public Replay {
     public:
      GraphReplay(DeviceContext& ctx, const std::function<void()>& record) : graph_(ctx, record) {}
      void launch() override { graph_.launch(); }

     private:
      Graph graph_;
    };
    return std::make_unique<GraphReplay>(ctx_, record);
  }

  // ---- storage ----
  int64_t data_bytes() const override { return bf16_ ? 2 : 4; }
  float* allocate(int64_t count, Storage storage) override {
    const size_t bytes = static_cast<size_t>(count) * static_cast<size_t>(element_bytes(storage));
    return static_cast<float*>(ctx_.allocator().allocate(bytes));
  }
  void release(float* data, int64_t, Storage) override { ctx_.allocator().release(data); }
  int64_t cached_bytes() const override { return ctx_.allocator().stats().cached; }
  void empty_cache() override {
    ctx_.synchronize("emptying the device cache");
    ctx_.allocator().empty_cache();
  }
  void poison_cache() override {
    ctx_.allocator().for_each_cached(
        [&](void* block, size_t bytes) { PRUNAS_CUDA_CHECK(cudaMemsetAsync(block, 0xff, bytes, ctx_.stream())); });
  }
  // Parameter copies are float32 whatever the precision (the master weights).
  float* mirror(std::vector<float>& host) override {
    if (host.empty()) return nullptr;
    auto it = mirrors_.find(&host);
    if (it != mirrors_.end() && it->second.count == static_cast<int64_t>(host.size())) return it->second.data;
    if (it != mirrors_.end()) {
      ctx_.allocator().release(it->second.data);
      mirrors_.erase(it);
    }
    const auto count = static_cast<int64_t>(host.size());
    float* data = allocate(count, Storage::Float32);
    copy_to_device(ctx_, data, host.data(), bytes_of(count));
    mirrors_.emplace(&host, Mirror{data, count});
    return data;
  }
  void to_host() override {
    for (auto& [host, m] : mirrors_)
      if (static_cast<int64_t>(host->size()) == m.count) copy_to_host(ctx_, host->data(), m.data, bytes_of(m.count));
    ctx_.synchronize("copying parameters to the host");
  }
  void drop_mirrors() override {
    ctx_.synchronize("dropping device copies");
    for (auto& [host, m] : mirrors_) ctx_.allocator().release(m.data);
    mirrors_.clear();
  }
  void upload(float* dst, const float* host, int64_t n, Storage storage) override {
    if (!bf16_ || storage == Storage::Float32) return copy_to_device(ctx_, dst, host, bytes_of(n));
    DeviceArray<float> staged = cuda::upload(ctx_, host, n);
    to_bf16(ctx_, B(dst), staged.data(), n);
  }
  void download(float* host, const float* src, int64_t n, Storage storage) override {
    if (!bf16_ || storage == Storage::Float32) {
      copy_to_host(ctx_, host, src, bytes_of(n));
    } else {
      DeviceArray<float> widened(ctx_, n);
      to_float(ctx_, widened.data(), B(src), n);
      copy_to_host(ctx_, host, widened.data(), bytes_of(n));
    }
    ctx_.synchronize("copying to the host");
  }
  void from_float32(float* dst, const float* src, int64_t n) override {
    if (bf16_) return to_bf16(ctx_, B(dst), src, n);
    copy(dst, src, n);
  }
  void copy(float* dst, const float* src, int64_t n) override {
    if (n > 0 && dst != src)
      PRUNAS_CUDA_CHECK(cudaMemcpyAsync(dst, src, static_cast<size_t>(n * data_bytes()), cudaMemcpyDeviceToDevice,
                                        ctx_.stream()));
  }
  void zero(float* dst, int64_t n) override {
    if (n > 0) fill_zero(ctx_, dst, static_cast<size_t>(n * data_bytes()));
  }

  // ---- layers ----
  void conv_forward(const nn::ConvShape& s, float* y, const float* x, const float* w) override {
    const int64_t rows = s.n * s.h * s.w;
    if (bf16_) {
      switch (s.kind) {
        case nn::ConvKind::Dense: return conv2d_forward(ctx_, B(y), B(x), w, nullptr, conv_shape(s));
        case nn::ConvKind::Depthwise: return depthwise_forward(ctx_, B(y), B(x), w, nullptr, depthwise_shape(s));
        case nn::ConvKind::Pointwise: return cuda::linear_forward(ctx_, B(y), B(x), w, nullptr, rows, s.cin, s.cout);
      }
    }
    switch (s.kind) {
      case nn::ConvKind::Dense: return conv2d_forward(ctx_, y, x, w, nullptr, conv_shape(s), tf32_);
      case nn::ConvKind::Depthwise: return depthwise_forward(ctx_, y, x, w, nullptr, depthwise_shape(s));
      case nn::ConvKind::Pointwise: return cuda::linear_forward(ctx_, y, x, w, nullptr, rows, s.cin, s.cout, tf32_);
    }
  }
  void conv_backward(const nn::ConvShape& s, float* dx, float* dw, const float* dy, const float* x,
                     const float* w) override {
    const int64_t rows = s.n * s.h * s.w;
    if (bf16_) {
      switch (s.kind) {
        case nn::ConvKind::Dense: return conv2d_backward(ctx_, B(dx), dw, nullptr, B(dy), B(x), w, conv_shape(s));
        case nn::ConvKind::Depthwise:
          return depthwise_backward(ctx_, B(dx), dw, nullptr, B(dy), B(x), w, depthwise_shape(s));
        case nn::ConvKind::Pointwise:
          return cuda::linear_backward(ctx_, B(dx), dw, nullptr, B(dy), B(x), w, rows, s.cin, s.cout);
      }
    }
    switch (s.kind) {
      case nn::ConvKind::Dense: return conv2d_backward(ctx_, dx, dw, nullptr, dy, x, w, conv_shape(s), tf32_);
      case nn::ConvKind::Depthwise: return depthwise_backward(ctx_, dx, dw, nullptr, dy, x, w, depthwise_shape(s));
      case nn::ConvKind::Pointwise:
        return cuda::linear_backward(ctx_, dx, dw, nullptr, dy, x, w, rows, s.cin, s.cout, tf32_);
    }
  }
  void linear_forward(float* y, const float* x, const float* w, const float* b, int64_t rows, int64_t in,
                      int64_t out) override {
    if (bf16_) return cuda::linear_forward(ctx_, B(y), B(x), w, b, rows, in, out);
    cuda::linear_forward(ctx_, y, x, w, b, rows, in, out, tf32_);
  }
  void linear_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w, int64_t rows,
                       int64_t in, int64_t out) override {
    if (bf16_) return cuda::linear_backward(ctx_, B(dx), dw, db, B(dy), B(x), w, rows, in, out);
    cuda::linear_backward(ctx_, dx, dw, db, dy, x, w, rows, in, out, tf32_);
  }
  void bn_forward_train(float* y, float* save_mean, float* save_invstd, float* running_mean, float* running_var,
                        const float* x, const float* gamma, const float* beta, int64_t rows, int64_t c,
                        float momentum, float eps, nn::Act act) override {
    if (bf16_)
      return batchnorm_act_forward_train(ctx_, B(y), save_mean, save_invstd, running_mean, running_var, B(x), gamma,
                                         beta, rows, c, momentum, eps, activation_of(act));
    batchnorm_act_forward_train(ctx_, y, save_mean, save_invstd, running_mean, running_var, x, gamma, beta, rows, c,
                                momentum, eps, activation_of(act));
  }
  void bn_forward_eval(float* y, const float* x, const float* gamma, const float* beta, const float* running_mean,
                       const float* running_var, int64_t rows, int64_t c, float eps, nn::Act act) override {
    if (bf16_)
      return batchnorm_act_forward_eval(ctx_, B(y), B(x), gamma, beta, running_mean, running_var, rows, c, eps,
                                        activation_of(act));
    batchnorm_act_forward_eval(ctx_, y, x, gamma, beta, running_mean, running_var, rows, c, eps, activation_of(act));
  }
  void bn_backward_train(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x, const float* gamma,
                         const float* beta, const float* mean, const float* invstd, int64_t rows, int64_t c,
                         nn::Act act) override {
    if (bf16_)
      return batchnorm_act_backward_train(ctx_, B(dx), dgamma, dbeta, B(dy), B(x), gamma, beta, mean, invstd, rows, c,
                                          activation_of(act));
    batchnorm_act_backward_train(ctx_, dx, dgamma, dbeta, dy, x, gamma, beta, mean, invstd, rows, c,
                                 activation_of(act));
  }
  void bn_backward_eval(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x, const float* gamma,
                        const float* beta, const float* running_mean, const float* running_var, int64_t rows,
                        int64_t c, float eps, nn::Act act) override {
    if (bf16_)
      return batchnorm_act_backward_eval(ctx_, B(dx), dgamma, dbeta, B(dy), B(x), gamma, beta, running_mean,
                                         running_var, rows, c, eps, activation_of(act));
    batchnorm_act_backward_eval(ctx_, dx, dgamma, dbeta, dy, x, gamma, beta, running_mean, running_var, rows, c, eps,
                                activation_of(act));
  }
  void pool_forward(float* y, const float* x, int64_t n, int64_t hw, int64_t c) override {
    if (bf16_) return global_avg_pool_forward(ctx_, B(y), B(x), n, hw, c);
    global_avg_pool_forward(ctx_, y, x, n, hw, c);
  }
  void pool_backward(float* dx, const float* dy, int64_t n, int64_t hw, int64_t c) override {
    if (bf16_) return global_avg_pool_backward(ctx_, B(dx), B(dy), n, hw, c);
    global_avg_pool_backward(ctx_, dx, dy, n, hw, c);
  }

  // ---- elementwise and reductions ----
  void add(float* y, const float* a, const float* b, int64_t n) override {
    if (bf16_) return add_forward(ctx_, B(y), B(a), B(b), n);
    add_forward(ctx_, y, a, b, n);
  }
  void axpy(float* y, float alpha, const float* x, int64_t n) override {
    if (n <= 0) return;
    if (bf16_) return mixed_combine_forward(ctx_, B(y), B(y), {B(x)}, {alpha}, n);
    mixed_combine_forward(ctx_, y, y, {x}, {alpha}, n);
  }
  void scale(float* y, float alpha, const float* x, int64_t n) override {
    if (n <= 0) return;
    if (bf16_) return mixed_combine_forward(ctx_, B(y), static_cast<const bf16*>(nullptr), {B(x)}, {alpha}, n);
    mixed_combine_forward(ctx_, y, nullptr, {x}, {alpha}, n);
  }
  void channel_gate(float* y, const float* x, int64_t rows, int64_t width, int64_t small, float big,
                    float small_gate) override {
    if (bf16_) return cuda::channel_gate(ctx_, B(y), B(x), rows, width, small, big, small_gate);
    cuda::channel_gate(ctx_, y, x, rows, width, small, big, small_gate);
  }

  // ---- results: slots of one device array, read back once a pass ----
  void begin_results() override { result_count_ = 0; }
  std::vector<double> read_results() override {
    std::vector<double> host(static_cast<size_t>(result_count_));
    if (result_count_ > 0) copy_to_host(ctx_, host.data(), results_, sizeof(double) * host.size());
    ctx_.synchronize("reading a pass's results");
    return host;
  }
  int64_t host_waits() const override { return ctx_.synchronizations(); }
  nn::Result dot(const float* a, const float* b, int64_t n, nn::Result add_to) override {
    const nn::Result r = slot(add_to);
    if (bf16_) {
      dot_to(ctx_, results_ + r, add_to != nn::kNotComputed, B(a), B(b), n);
    } else {
      dot_to(ctx_, results_ + r, add_to != nn::kNotComputed, a, b, n);
    }
    return r;
  }
  // dot on Float32 storage (γ·dγ): the float kernel whatever the precision
  nn::Result dot_float32(const float* a, const float* b, int64_t n, nn::Result add_to) override {
    const nn::Result r = slot(add_to);
    dot_to(ctx_, results_ + r, add_to != nn::kNotComputed, a, b, n);
    return r;
  }
  nn::Result channel_gate_dots(const float* h, const float* d, int64_t rows, int64_t width, int64_t small) override {
    const nn::Result r = new_slots(2);
    if (bf16_) {
      channel_gate_dots_to(ctx_, results_ + r, B(h), B(d), rows, width, small);
    } else {
      channel_gate_dots_to(ctx_, results_ + r, h, d, rows, width, small);
    }
    return r;
  }
  nn::Result softmax_cross_entropy(float* dlogits, const float* logits, const int32_t* labels, int64_t n, int64_t k,
                                   float smoothing) override {
    for (int64_t i = 0; i < n; ++i)  // the CPU's error; the kernel would only give a NaN loss
      if (labels[i] < 0 || labels[i] >= k)
        throw_range("labels[" + std::to_string(i) + "] = " + std::to_string(labels[i]) + " is outside [0, " +
                    std::to_string(k) + ")");
    DeviceArray<int32_t> device_labels = cuda::upload(ctx_, labels, n);
    const nn::Result r = new_slots(2);
    if (bf16_) {
      softmax_cross_entropy_to(ctx_, results_ + r, B(dlogits), B(logits), device_labels.data(), n, k, smoothing);
    } else {
      softmax_cross_entropy_to(ctx_, results_ + r, dlogits, logits, device_labels.data(), n, k, smoothing);
    }
    return r;
  }
  nn::Result mse_loss(float* da, const float* a, const float* b, int64_t n) override {
    const nn::Result r = new_slots(2);
    if (bf16_) {
      mse_loss_to(ctx_, results_ + r, B(da), B(a), B(b), n);
    } else {
      mse_loss_to(ctx_, results_ + r, da, a, b, n);
    }
    return r;
  }
  nn::Result regression_sums(const float* a, const float* b, int64_t n) override {
    const nn::Result r = new_slots(4);
    if (bf16_) {
      regression_sums_to(ctx_, results_ + r, B(a), B(b), n);
    } else {
      regression_sums_to(ctx_, results_ + r, a, b, n);
    }
    return r;
  }

  // ---- optimizer ----
  void sgd_step(const std::vector<nn::ParamUpdate>& params, const cpu::SgdOptions& o) override {
    if (params.empty()) return;
    std::vector<SgdTensor> tensors;
    tensors.reserve(params.size());
    for (const nn::ParamUpdate& p : params) tensors.push_back({p.value, p.momentum, p.grad, p.size, p.first});
    SgdHyper h;
    h.lr = o.lr;
    h.momentum = o.momentum;
    h.weight_decay = o.weight_decay;
    h.nesterov = o.nesterov;
    sgd_step_multi(ctx_, tensors, h);
  }
  void adam_step(const std::vector<nn::ParamUpdate>& params, const cpu::AdamOptions& o) override {
    if (params.empty()) return;
    std::vector<AdamTensor> tensors;
    tensors.reserve(params.size());
    for (const nn::ParamUpdate& p : params) tensors.push_back({p.value, p.adam_m, p.adam_v, p.grad, p.size, p.step});
    AdamHyper h;
    h.lr = o.lr;
    h.beta1 = o.beta1;
    h.beta2 = o.beta2;
    h.eps = o.eps;
    h.weight_decay = o.weight_decay;
    h.decoupled = o.decoupled;
    adam_step_multi(ctx_, tensors, h);
  }

 private:
  struct Mirror {
    float* data;
    int64_t count;
  };
  // `count` new result slots; the array grows (its slots copied over in
  // stream order) when full.
  nn::Result new_slots(int64_t count) {
    if (result_count_ + count > result_capacity_) {
      const int64_t capacity = std::max<int64_t>(result_count_ + count, std::max<int64_t>(256, 2 * result_capacity_));
      auto* bigger = static_cast<double*>(ctx_.allocator().allocate(sizeof(double) * static_cast<size_t>(capacity)));
      try {
        if (result_count_ > 0)
          PRUNAS_CUDA_CHECK(cudaMemcpyAsync(bigger, results_, sizeof(double) * static_cast<size_t>(result_count_),
                                            cudaMemcpyDeviceToDevice, ctx_.stream()));
      } catch (...) {
        ctx_.allocator().release(bigger);
        throw;
      }
      if (results_) ctx_.allocator().release(results_);
      results_ = bigger;
      result_capacity_ = capacity;
    }
    const nn::Result r = result_count_;
    result_count_ += count;
    return r;
  }
  // A new slot, or add_to (one of this pass's) to add into.
  nn::Result slot(nn::Result add_to) {
    if (add_to == nn::kNotComputed) return new_slots(1);
    if (add_to < 0 || add_to >= result_count_)
      throw_error("result slot " + std::to_string(add_to) + " is not one of this pass's " +
                  std::to_string(result_count_));
    return add_to;
  }

  DeviceContext& ctx_;
  bool tf32_;  // TF32 tensor cores for float32 products (false: strict float32, comparable with the CPU)
  bool bf16_;  // Data storage in bf16
  std::unordered_map<std::vector<float>*, Mirror> mirrors_;
  double* results_ = nullptr;  // device memory from the allocator
  int64_t result_count_ = 0, result_capacity_ = 0;
};

}  // namespace

}  // namespace prunas::cuda

namespace prunas::nn {

std::unique_ptr<Compute> make_cuda_compute(int device, const std::string& precision) {
  return std::make_unique<cuda::CudaCompute>(device, precision);
}

}  // namespace prunas::nn
