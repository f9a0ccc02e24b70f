// A Compute that forwards every call to another and times each op with that
// compute's own clock (time_ms: the host's monotonic clock on the CPU,
// events around the op on a device, so every op then waits for the device).
// Calls and milliseconds are summed per op name: where a step's time goes.
#include <map>
#include <type_traits>
#include <utility>

#include "core/error.h"
#include "nn/compute.h"

namespace prunas::nn {

namespace {

const char* kind_name(ConvKind kind) {
  switch (kind) {
    case ConvKind::Dense: return "conv dense";
    case ConvKind::Depthwise: return "conv depthwise";
    case ConvKind::Pointwise: return "conv pointwise";
  }
  return "conv";
}

class ProfiledCompute final : public Compute {
 public:
  explicit ProfiledCompute(std::unique_ptr<Compute> inner) : inner_(std::move(inner)) {}

 private:
  template <typename Work>
  auto timed(const std::string& name, Work&& work) {
    using R = decltype(work());
    if constexpr (std::is_void_v<R>) {
      record(name, inner_->time_ms(work));
    } else {
      R result{};
      record(name, inner_->time_ms([&] { result = work(); }));
      return result;
    }
  }
  template <typename Work>
  auto timed(const char* name, const char* suffix, Work&& work) {
    return timed(std::string(name) + suffix, std::forward<Work>(work));
  }
  void record(const std::string& name, double ms) {
    OpTime& t = times_[name];
    ++t.calls;
    t.ms += ms;
  }

 public:
  std::vector<std::pair<std::string, OpTime>> op_times() const override {
    return {times_.begin(), times_.end()};
  }
  void reset_op_times() override { times_.clear(); }

  std::string device() const override { return inner_->device(); }
  int cuda_device() const override { return inner_->cuda_device(); }
  std::unique_lock<std::mutex> enter() override { return inner_->enter(); }
  double time_ms(const std::function<void()>& work) override { return inner_->time_ms(work); }
  std::unique_ptr<Replay> capture(const std::function<void()>&) override {
    throw_range("a profiled network times its ops one by one; it cannot be captured as a CUDA graph");
  }

  // ---- storage (allocation is not timed: it is bookkeeping, not an op) ----
  float* allocate(int64_t count, Storage storage) override { return inner_->allocate(count, storage); }
  void release(float* data, int64_t count, Storage storage) override { inner_->release(data, count, storage); }
  int64_t element_bytes(Storage storage) const override { return inner_->element_bytes(storage); }
  int64_t data_bytes() const override { return inner_->data_bytes(); }
  int64_t cached_bytes() const override { return inner_->cached_bytes(); }
  void empty_cache() override { inner_->empty_cache(); }
  void poison_cache() override { inner_->poison_cache(); }
  float* mirror(std::vector<float>& host) override {
    return timed("parameter copies", [&] { return inner_->mirror(host); });
  }
  void to_host() override { timed("parameter copies", [&] { inner_->to_host(); }); }
  void drop_mirrors() override { timed("parameter copies", [&] { inner_->drop_mirrors(); }); }
  void upload(float* dst, const float* host, int64_t n, Storage storage) override {
    timed("upload", [&] { inner_->upload(dst, host, n, storage); });
  }
  void download(float* host, const float* src, int64_t n, Storage storage) override {
    timed("download", [&] { inner_->download(host, src, n, storage); });
  }
  void from_float32(float* dst, const float* src, int64_t n) override {
    timed("copy", [&] { inner_->from_float32(dst, src, n); });
  }
  void copy(float* dst, const float* src, int64_t n) override { timed("copy", [&] { inner_->copy(dst, src, n); }); }
  void zero(float* dst, int64_t n) override { timed("copy", [&] { inner_->zero(dst, n); }); }

  // ---- layers ----
  void conv_forward(const ConvShape& s, float* y, const float* x, const float* w) override {
    timed(kind_name(s.kind), " forward", [&] { inner_->conv_forward(s, y, x, w); });
  }
  void conv_backward(const ConvShape& s, float* dx, float* dw, const float* dy, const float* x,
                     const float* w) override {
    timed(kind_name(s.kind), " backward", [&] { inner_->conv_backward(s, dx, dw, dy, x, w); });
  }
  void linear_forward(float* y, const float* x, const float* w, const float* b, int64_t rows, int64_t in,
                      int64_t out) override {
    timed("linear forward", [&] { inner_->linear_forward(y, x, w, b, rows, in, out); });
  }
  void linear_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w, int64_t rows,
                       int64_t in, int64_t out) override {
    timed("linear backward", [&] { inner_->linear_backward(dx, dw, db, dy, x, w, rows, in, out); });
  }
  void bn_forward_train(float* y, float* save_mean, float* save_invstd, float* running_mean, float* running_var,
                        const float* x, const float* gamma, const float* beta, int64_t rows, int64_t c,
                        float momentum, float eps, Act act) override {
    timed("batchnorm+act forward", [&] {
      inner_->bn_forward_train(y, save_mean, save_invstd, running_mean, running_var, x, gamma, beta, rows, c, momentum,
                               eps, act);
    });
  }
  void bn_forward_eval(float* y, const float* x, const float* gamma, const float* beta, const float* running_mean,
                       const float* running_var, int64_t rows, int64_t c, float eps, Act act) override {
    timed("batchnorm+act forward", [&] {
      inner_->bn_forward_eval(y, x, gamma, beta, running_mean, running_var, rows, c, eps, act);
    });
  }
  void bn_backward_train(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x, const float* gamma,
                         const float* beta, const float* mean, const float* invstd, int64_t rows, int64_t c,
                         Act act) override {
    timed("batchnorm+act backward", [&] {
      inner_->bn_backward_train(dx, dgamma, dbeta, dy, x, gamma, beta, mean, invstd, rows, c, act);
    });
  }
  void bn_backward_eval(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x, const float* gamma,
                        const float* beta, const float* running_mean, const float* running_var, int64_t rows,
                        int64_t c, float eps, Act act) override {
    timed("batchnorm+act backward", [&] {
      inner_->bn_backward_eval(dx, dgamma, dbeta, dy, x, gamma, beta, running_mean, running_var, rows, c, eps, act);
    });
  }
  void pool_forward(float* y, const float* x, int64_t n, int64_t hw, int64_t c) override {
    timed("pool forward", [&] { inner_->pool_forward(y, x, n, hw, c); });
  }
  void pool_backward(float* dx, const float* dy, int64_t n, int64_t hw, int64_t c) override {
    timed("pool backward", [&] { inner_->pool_backward(dx, dy, n, hw, c); });
  }

  // ---- elementwise ----
  void add(float* y, const float* a, const float* b, int64_t n) override {
    timed("residual add", [&] { inner_->add(y, a, b, n); });
  }
  void axpy(float* y, float alpha, const float* x, int64_t n) override {
    timed("mixed combination", [&] { inner_->axpy(y, alpha, x, n); });
  }
  void scale(float* y, float alpha, const float* x, int64_t n) override {
    timed("mixed combination", [&] { inner_->scale(y, alpha, x, n); });
  }
  void channel_gate(float* y, const float* x, int64_t rows, int64_t width, int64_t small, float big,
                    float small_gate) override {
    timed("prunode gates", [&] { inner_->channel_gate(y, x, rows, width, small, big, small_gate); });
  }

  // ---- results ----
  void begin_results() override { inner_->begin_results(); }
  std::vector<double> read_results() override {
    return timed("read results", [&] { return inner_->read_results(); });
  }
  int64_t host_waits() const override { return inner_->host_waits(); }
  Result dot(const float* a, const float* b, int64_t n, Result add_to) override {
    return timed("gate inner products", [&] { return inner_->dot(a, b, n, add_to); });
  }
  Result dot_float32(const float* a, const float* b, int64_t n, Result add_to) override {
    return timed("gate inner products", [&] { return inner_->dot_float32(a, b, n, add_to); });
  }
  Result channel_gate_dots(const float* h, const float* d, int64_t rows, int64_t width, int64_t small) override {
    return timed("prunode gates", [&] { return inner_->channel_gate_dots(h, d, rows, width, small); });
  }
  Result softmax_cross_entropy(float* dlogits, const float* logits, const int32_t* labels, int64_t n, int64_t k,
                               float smoothing) override {
    return timed("loss", [&] { return inner_->softmax_cross_entropy(dlogits, logits, labels, n, k, smoothing); });
  }
  Result mse_loss(float* da, const float* a, const float* b, int64_t n) override {
    return timed("loss", [&] { return inner_->mse_loss(da, a, b, n); });
  }
  Result regression_sums(const float* a, const float* b, int64_t n) override {
    return timed("loss", [&] { return inner_->regression_sums(a, b, n); });
  }

  // ---- optimizer ----
  void sgd_step(const std::vector<ParamUpdate>& params, const cpu::SgdOptions& o) override {
    timed("optimizer", [&] { inner_->sgd_step(params, o); });
  }
  void adam_step(const std::vector<ParamUpdate>& params, const cpu::AdamOptions& o) override {
    timed("optimizer", [&] { inner_->adam_step(params, o); });
  }

 private:
  std::unique_ptr<Compute> inner_;
  std::map<std::string, OpTime> times_;
};

}  // namespace

std::unique_ptr<Compute> make_profiled_compute(std::unique_ptr<Compute> inner) {
  return std::make_unique<ProfiledCompute>(std::move(inner));
}

}  // namespace prunas::nn
