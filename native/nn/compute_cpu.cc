// The host implementation of nn::Compute: native/cpu kernels on the thread
// pool; storage is host memory, mirrors are the vectors themselves.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <map>
#include <unordered_map>

#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/activation.h"
#include "cpu/batchnorm.h"
#include "cpu/conv2d.h"
#include "cpu/depthwise.h"
#include "cpu/linear.h"
#include "cpu/loss.h"
#include "cpu/pool.h"
#include "nn/compute.h"

namespace prunas::nn {

namespace {

constexpr int64_t kDotBlock = 4096;
constexpr int64_t kElementwiseChunk = 16384;

class CpuCompute : public Compute {
 public:
  std::string device() const override { return "cpu"; }
  std::unique_lock<std::mutex> enter() override { return {}; }
  double time_ms(const std::function<void()>& work) override {
    const auto start = std::chrono::steady_clock::now();
    work();
    const auto end = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::milli>(end - start).count();
  }

  // Released buffers are kept for the next steps: fresh multi-megabyte
  // buffers cost page faults and zero-filling that dominate small-image
  // steps. A request takes the smallest kept buffer that holds it if that is
  // at most twice its size (paths change from step to step, and so do the
  // sizes: an exact match would miss for many steps after the start).
  // The CPU stores every kind in float32.
  float* allocate(int64_t count, Storage = Storage::Data) override {
    if (count <= 0) return nullptr;
    std::vector<float> v;
    auto it = free_.lower_bound(count);
    if (it != free_.end() && it->first <= 2 * count) {
      v = std::move(it->second);
      free_.erase(it);
      cached_bytes_ -= static_cast<int64_t>(v.size() * sizeof(float));
    } else {
      v.resize(static_cast<size_t>(count));
    }
    float* data = v.data();
    live_.emplace(data, std::move(v));
    return data;
  }
  void release(float* data, int64_t, Storage = Storage::Data) override {
    if (!data) return;
    auto it = live_.find(data);
    if (it == live_.end()) return;
    const auto size = static_cast<int64_t>(it->second.size());
    cached_bytes_ += size * static_cast<int64_t>(sizeof(float));
    free_.emplace(size, std::move(it->second));
    live_.erase(it);
  }
  int64_t cached_bytes() const override { return cached_bytes_; }
  void empty_cache() override {
    free_.clear();
    cached_bytes_ = 0;
  }
  void poison_cache() override {
    for (auto& [size, block] : free_) std::memset(block.data(), 0xff, block.size() * sizeof(float));
  }
  float* mirror(std::vector<float>& host) override { return host.empty() ? nullptr : host.data(); }
  void to_host() override {}
  void drop_mirrors() override {}
  void upload(float* dst, const float* host, int64_t n, Storage = Storage::Data) override {
    CpuCompute::copy(dst, host, n);
  }
  void download(float* host, const float* src, int64_t n, Storage = Storage::Data) override {
    CpuCompute::copy(host, src, n);
  }
  void from_float32(float* dst, const float* src, int64_t n) override { CpuCompute::copy(dst, src, n); }
  void copy(float* dst, const float* src, int64_t n) override {
    if (n > 0 && dst != src) std::memcpy(dst, src, sizeof(float) * static_cast<size_t>(n));
  }
  void zero(float* dst, int64_t n) override { std::fill(dst, dst + n, 0.0f); }

  void conv_forward(const ConvShape& s, float* y, const float* x, const float* w) override {
    const int64_t pad = s.kernel / 2;
    switch (s.kind) {
      case ConvKind::Dense:
        return cpu::conv2d_forward(y, x, w, nullptr,
                                   {s.n, s.h, s.w, s.cin, s.cout, s.kernel, s.kernel, s.stride, s.stride, pad, pad, 1});
      case ConvKind::Depthwise:
        return cpu::depthwise_forward(y, x, w, nullptr,
                                      {s.n, s.h, s.w, s.cin, s.kernel, s.kernel, s.stride, s.stride, pad, pad});
      case ConvKind::Pointwise:
        return cpu::linear_forward(y, x, w, nullptr, s.n * s.h * s.w, s.cin, s.cout);
    }
  }
  void conv_backward(const ConvShape& s, float* dx, float* dw, const float* dy, const float* x,
                     const float* w) override {
    const int64_t pad = s.kernel / 2;
    switch (s.kind) {
      case ConvKind::Dense:
        return cpu::conv2d_backward(dx, dw, nullptr, dy, x, w,
                                    {s.n, s.h, s.w, s.cin, s.cout, s.kernel, s.kernel, s.stride, s.stride, pad, pad, 1});
      case ConvKind::Depthwise:
        return cpu::depthwise_backward(dx, dw, nullptr, dy, x, w,
                                       {s.n, s.h, s.w, s.cin, s.kernel, s.kernel, s.stride, s.stride, pad, pad});
      case ConvKind::Pointwise:
        return cpu::linear_backward(dx, dw, nullptr, dy, x, w, s.n * s.h * s.w, s.cin, s.cout);
    }
  }
  void linear_forward(float* y, const float* x, const float* w, const float* b, int64_t rows, int64_t in,
                      int64_t out) override {
    cpu::linear_forward(y, x, w, b, rows, in, out);
  }
  void linear_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w, int64_t rows,
                       int64_t in, int64_t out) override {
    cpu::linear_backward(dx, dw, db, dy, x, w, rows, in, out);
  }
  void bn_forward_train(float* y, float* save_mean, float* save_invstd, float* running_mean, float* running_var,
                        const float* x, const float* gamma, const float* beta, int64_t rows, int64_t c,
                        float momentum, float eps, Act act) override {
    cpu::batchnorm_forward_train(y, save_mean, save_invstd, running_mean, running_var, x, gamma, beta, rows, c,
                                 momentum, eps, bn_act(act));
  }
  void bn_forward_eval(float* y, const float* x, const float* gamma, const float* beta, const float* running_mean,
                       const float* running_var, int64_t rows, int64_t c, float eps, Act act) override {
    cpu::batchnorm_forward_eval(y, x, gamma, beta, running_mean, running_var, rows, c, eps, bn_act(act));
  }
  void bn_backward_train(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x, const float* gamma,
                         const float* beta, const float* mean, const float* invstd, int64_t rows, int64_t c,
                         Act act) override {
    cpu::batchnorm_act_backward_train(dx, dgamma, dbeta, dy, x, gamma, beta, mean, invstd, rows, c, bn_act(act));
  }
  void bn_backward_eval(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x, const float* gamma,
                        const float* beta, const float* running_mean, const float* running_var, int64_t rows,
                        int64_t c, float eps, Act act) override {
    cpu::batchnorm_act_backward_eval(dx, dgamma, dbeta, dy, x, gamma, beta, running_mean, running_var, rows, c, eps,
                                     bn_act(act));
  }
  void pool_forward(float* y, const float* x, int64_t n, int64_t hw, int64_t c) override {
    cpu::global_avg_pool_forward(y, x, n, hw, c);
  }
  void pool_backward(float* dx, const float* dy, int64_t n, int64_t hw, int64_t c) override {
    cpu::global_avg_pool_backward(dx, dy, n, hw, c);
  }

  void add(float* y, const float* a, const float* b, int64_t n) override { cpu::add_forward(y, a, b, n); }
  void axpy(float* y, float alpha, const float* x, int64_t n) override {
    parallel_for(n, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) y[i] += alpha * x[i];
    }, kElementwiseChunk);
  }
  void scale(float* y, float alpha, const float* x, int64_t n) override {
    parallel_for(n, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) y[i] = alpha * x[i];
    }, kElementwiseChunk);
  }
  Result dot(const float* a, const float* b, int64_t n, Result add_to = kNotComputed) override {
    return store(dot_value(a, b, n), add_to);
  }
  void channel_gate(float* y, const float* x, int64_t rows, int64_t width, int64_t small, float big,
                    float small_gate) override {
    for (int64_t r = 0; r < rows; ++r) {
      const float* xr = x + r * width;
      float* yr = y + r * width;
      for (int64_t j = 0; j < small; ++j) yr[j] = (big + small_gate) * xr[j];
      for (int64_t j = small; j < width; ++j) yr[j] = big * xr[j];
    }
  }
  Result channel_gate_dots(const float* h, const float* d, int64_t rows, int64_t width, int64_t small) override {
    double big_sum = 0.0, small_sum = 0.0;
    for (int64_t r = 0; r < rows; ++r) {
      const float* hr = h + r * width;
      const float* dr = d + r * width;
      double s = 0.0;
      for (int64_t j = 0; j < small; ++j) s += static_cast<double>(hr[j]) * dr[j];
      double t = 0.0;
      for (int64_t j = small; j < width; ++j) t += static_cast<double>(hr[j]) * dr[j];
      small_sum += s;
      big_sum += s + t;
    }
    const Result r = store(big_sum);
    store(small_sum);
    return r;
  }
  Result softmax_cross_entropy(float* dlogits, const float* logits, const int32_t* labels, int64_t n, int64_t k,
                               float smoothing) override {
    int64_t correct = 0;
    const Result r = store(cpu::softmax_cross_entropy(dlogits, &correct, logits, labels, n, k, smoothing));
    store(static_cast<double>(correct));
    return r;
  }
  Result mse_loss(float* da, const float* a, const float* b, int64_t n) override {
    const Result r = store(cpu::mse_loss(da, a, b, n));
    store(0.0);
    return r;
  }

  // In element order (the same whatever the thread count).
  Result regression_sums(const float* a, const float* b, int64_t n) override {
    double squared = 0.0, absolute = 0.0, target = 0.0, target_squared = 0.0;
    for (int64_t i = 0; i < n; ++i) {
      const double d = static_cast<double>(a[i]) - b[i];
      squared += d * d;
      absolute += std::abs(d);
      target += b[i];
      target_squared += static_cast<double>(b[i]) * b[i];
    }
    const Result r = store(squared);
    store(absolute);
    store(target);
    store(target_squared);
    return r;
  }

  // The host's results are the values themselves.
  void begin_results() override { results_.clear(); }
  std::vector<double> read_results() override { return results_; }

  void sgd_step(const std::vector<ParamUpdate>& params, const cpu::SgdOptions& o) override {
    for (const ParamUpdate& p : params) cpu::sgd_step(p.value, p.momentum, p.grad, p.size, o, p.first);
  }
  void adam_step(const std::vector<ParamUpdate>& params, const cpu::AdamOptions& o) override {
    for (const ParamUpdate& p : params) cpu::adam_step(p.value, p.adam_m, p.adam_v, p.grad, p.size, o, p.step);
  }

 protected:
  // A new result slot holding v, or v added to slot add_to (which must be one
  // of this pass's).
  Result store(double v, Result add_to = kNotComputed) {
    if (add_to == kNotComputed) {
      results_.push_back(v);
      return static_cast<Result>(results_.size()) - 1;
    }
    if (add_to < 0 || add_to >= static_cast<Result>(results_.size()))
      throw_error("result slot " + std::to_string(add_to) + " is not one of this pass's " +
                  std::to_string(results_.size()));
    results_[static_cast<size_t>(add_to)] += v;
    return add_to;
  }
  // Fixed blocks summed in block order: the same value whatever the thread count.
  static double dot_value(const float* a, const float* b, int64_t n) {
    const int64_t blocks = (n + kDotBlock - 1) / kDotBlock;
    std::vector<double> partial(static_cast<size_t>(blocks), 0.0);
    parallel_for(blocks, [&](int64_t begin, int64_t end) {
      for (int64_t k = begin; k < end; ++k) {
        const int64_t lo = k * kDotBlock, hi = std::min(n, lo + kDotBlock);
        double s = 0.0;
        for (int64_t i = lo; i < hi; ++i) s += static_cast<double>(a[i]) * b[i];
        partial[k] = s;
      }
    }, 4);
    double total = 0.0;
    for (double s : partial) total += s;
    return total;
  }

 private:
  std::vector<double> results_;
  static cpu::BnAct bn_act(Act act) {
    switch (act) {
      case Act::Relu: return cpu::BnAct::Relu;
      case Act::Relu6: return cpu::BnAct::Relu6;
      case Act::Hswish: return cpu::BnAct::Hswish;
      case Act::None: return cpu::BnAct::None;
    }
    return cpu::BnAct::None;
  }

  std::unordered_map<float*, std::vector<float>> live_;
  std::multimap<int64_t, std::vector<float>> free_;
  int64_t cached_bytes_ = 0;
};

// bf16 as the CUDA backend stores it: the upper half of a float32, rounded
// to nearest even on the way in (NaN stays NaN), exact on the way out.
uint16_t round_to_bf16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((bits >> 16) | 0x0040u);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(bits >> 16);
}

float widen_bf16(uint16_t value) {
  const uint32_t bits = static_cast<uint32_t>(value) << 16;
  float out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

// Data storage under bf16: the nn layer's float* names bf16 elements.
uint16_t* B(float* p) { return reinterpret_cast<uint16_t*>(p); }
const uint16_t* B(const float* p) { return reinterpret_cast<const uint16_t*>(p); }

// One op's Data arguments as float32, for the CPU kernels: in() widens an
// input into a copy, out() hands out a copy that is rounded back into the
// argument when the op is done (at destruction), inout() both. Outputs are
// separate copies, so an output that aliases an input still reads the input
// as it was. Without bf16 every pointer passes through unchanged.
class Widened {
 public:
  explicit Widened(bool bf16) : bf16_(bf16) {}
  Widened(const Widened&) = delete;
  Widened& operator=(const Widened&) = delete;
  ~Widened() {
    for (auto& [dst, values] : outputs_)
      for (size_t i = 0; i < values.size(); ++i) B(dst)[i] = round_to_bf16(values[i]);
  }
  const float* in(const float* p, int64_t n) {
    if (!bf16_ || !p) return p;
    return load(p, n).data();
  }
  float* out(float* p, int64_t n) {
    if (!bf16_ || !p) return p;
    return outputs_.emplace_back(p, std::vector<float>(static_cast<size_t>(n))).second.data();
  }
  float* inout(float* p, int64_t n) {
    if (!bf16_ || !p) return p;
    return outputs_.emplace_back(p, load(p, n)).second.data();
  }

 private:
  std::vector<float>& load(const float* p, int64_t n) {
    std::vector<float>& values = inputs_.emplace_back(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) values[i] = widen_bf16(B(p)[i]);
    return values;
  }
  bool bf16_;
  std::deque<std::vector<float>> inputs_;  // a deque: references stay valid as it grows
  std::deque<std::pair<float*, std::vector<float>>> outputs_;
};

int64_t conv_input_size(const ConvShape& s) { return s.n * s.h * s.w * s.cin; }
int64_t conv_output_size(const ConvShape& s) {
  return s.kind == ConvKind::Pointwise ? s.n * s.h * s.w * s.cout : s.n * s.ho() * s.wo() * s.cout;
}

// The host's kernels behind a device's protocol (see make_compute): what a
// step reads of a parameter is its copy, which only to_host() writes back;
// storage is separate from the host's arrays and NaN until written.
// Under bf16 Data storage holds bf16 bit patterns as the CUDA backend's does,
// and every op takes exactly the CUDA backend's arguments as Data (widened
// for the float32 kernels, outputs rounded back); Float32 storage and the
// parameter copies stay float32. Every buffer reserves 4 bytes an element
// whatever its kind (its accounting uses element_bytes), so a buffer read as
// the wrong kind gives garbage, never a read past its end; the half of a
// bf16 Data buffer past its elements is a guard, still poison at release
// unless float32 values were written into it (then the next allocation throws).
class MirroredCpuCompute final : public CpuCompute {
 public:
  explicit MirroredCpuCompute(bool bf16) : bf16_(bf16) {}
  std::string device() const override { return "cpu-mirrored"; }
  std::unique_lock<std::mutex> enter() override { return std::unique_lock<std::mutex>(mutex_); }

  // ---- storage ----
  int64_t data_bytes() const override { return bf16_ ? 2 : 4; }
  float* allocate(int64_t count, Storage storage = Storage::Data) override {
    if (!overrun_.empty()) throw_range(overrun_);
    float* data = CpuCompute::allocate(count, storage);
    poison(data, count);
    return data;
  }
  void release(float* data, int64_t count, Storage storage = Storage::Data) override {
    if (data && bf16_ && storage == Storage::Data && overrun_.empty() &&
        !std::all_of(B(data) + count, B(data) + 2 * count, [](uint16_t v) { return v == kPoison; }))
      overrun_ = "a bf16 activation buffer of " + std::to_string(count) +
                 " elements was written past its end (float32 values in activation storage?)";
    poison(data, count);
    CpuCompute::release(data, count, storage);
  }
  float* mirror(std::vector<float>& host) override {
    if (host.empty()) return nullptr;
    auto it = mirrors_.find(&host);
    if (it == mirrors_.end() || it->second.size() != host.size()) it = mirrors_.insert_or_assign(&host, host).first;
    return it->second.data();
  }
  void to_host() override {
    ++host_waits_;
    for (auto& [host, copy] : mirrors_)
      if (host->size() == copy.size()) std::copy(copy.begin(), copy.end(), host->begin());
  }
  void drop_mirrors() override {
    for (auto& [host, copy] : mirrors_) poison(copy.data(), static_cast<int64_t>(copy.size()));
    mirrors_.clear();
  }
  void upload(float* dst, const float* host, int64_t n, Storage storage = Storage::Data) override {
    if (!bf16_ || storage == Storage::Float32) return CpuCompute::upload(dst, host, n, storage);
    for (int64_t i = 0; i < n; ++i) B(dst)[i] = round_to_bf16(host[i]);
  }
  void download(float* host, const float* src, int64_t n, Storage storage = Storage::Data) override {
    ++host_waits_;
    if (!bf16_ || storage == Storage::Float32) return CpuCompute::download(host, src, n, storage);
    for (int64_t i = 0; i < n; ++i) host[i] = widen_bf16(B(src)[i]);
  }
  void from_float32(float* dst, const float* src, int64_t n) override { upload(dst, src, n, Storage::Data); }
  void copy(float* dst, const float* src, int64_t n) override {
    if (n > 0 && dst != src) std::memmove(dst, src, static_cast<size_t>(n * data_bytes()));
  }
  void zero(float* dst, int64_t n) override {
    if (n > 0) std::memset(dst, 0, static_cast<size_t>(n * data_bytes()));  // +0 in float32 and in bf16
  }

  // ---- layers: the CUDA backend's Data arguments widened ----
  void conv_forward(const ConvShape& s, float* y, const float* x, const float* w) override {
    Widened d(bf16_);
    CpuCompute::conv_forward(s, d.out(y, conv_output_size(s)), d.in(x, conv_input_size(s)), w);
  }
  void conv_backward(const ConvShape& s, float* dx, float* dw, const float* dy, const float* x,
                     const float* w) override {
    Widened d(bf16_);
    CpuCompute::conv_backward(s, d.out(dx, conv_input_size(s)), dw, d.in(dy, conv_output_size(s)),
                              d.in(x, conv_input_size(s)), w);
  }
  void linear_forward(float* y, const float* x, const float* w, const float* b, int64_t rows, int64_t in,
                      int64_t out) override {
    Widened d(bf16_);
    CpuCompute::linear_forward(d.out(y, rows * out), d.in(x, rows * in), w, b, rows, in, out);
  }
  void linear_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w, int64_t rows,
                       int64_t in, int64_t out) override {
    Widened d(bf16_);
    CpuCompute::linear_backward(d.out(dx, rows * in), dw, db, d.in(dy, rows * out), d.in(x, rows * in), w, rows, in,
                                out);
  }
  void bn_forward_train(float* y, float* save_mean, float* save_invstd, float* running_mean, float* running_var,
                        const float* x, const float* gamma, const float* beta, int64_t rows, int64_t c,
                        float momentum, float eps, Act act) override {
    Widened d(bf16_);
    CpuCompute::bn_forward_train(d.out(y, rows * c), save_mean, save_invstd, running_mean, running_var,
                                 d.in(x, rows * c), gamma, beta, rows, c, momentum, eps, act);
  }
  void bn_forward_eval(float* y, const float* x, const float* gamma, const float* beta, const float* running_mean,
                       const float* running_var, int64_t rows, int64_t c, float eps, Act act) override {
    Widened d(bf16_);
    CpuCompute::bn_forward_eval(d.out(y, rows * c), d.in(x, rows * c), gamma, beta, running_mean, running_var, rows,
                                c, eps, act);
  }
  void bn_backward_train(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x, const float* gamma,
                         const float* beta, const float* mean, const float* invstd, int64_t rows, int64_t c,
                         Act act) override {
    Widened d(bf16_);
    CpuCompute::bn_backward_train(d.out(dx, rows * c), dgamma, dbeta, d.in(dy, rows * c), d.in(x, rows * c), gamma,
                                  beta, mean, invstd, rows, c, act);
  }
  void bn_backward_eval(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x, const float* gamma,
                        const float* beta, const float* running_mean, const float* running_var, int64_t rows,
                        int64_t c, float eps, Act act) override {
    Widened d(bf16_);
    CpuCompute::bn_backward_eval(d.out(dx, rows * c), dgamma, dbeta, d.in(dy, rows * c), d.in(x, rows * c), gamma,
                                 beta, running_mean, running_var, rows, c, eps, act);
  }
  void pool_forward(float* y, const float* x, int64_t n, int64_t hw, int64_t c) override {
    Widened d(bf16_);
    CpuCompute::pool_forward(d.out(y, n * c), d.in(x, n * hw * c), n, hw, c);
  }
  void pool_backward(float* dx, const float* dy, int64_t n, int64_t hw, int64_t c) override {
    Widened d(bf16_);
    CpuCompute::pool_backward(d.out(dx, n * hw * c), d.in(dy, n * c), n, hw, c);
  }

  // ---- elementwise and reductions ----
  void add(float* y, const float* a, const float* b, int64_t n) override {
    Widened d(bf16_);
    CpuCompute::add(d.out(y, n), d.in(a, n), d.in(b, n), n);
  }
  void axpy(float* y, float alpha, const float* x, int64_t n) override {
    Widened d(bf16_);
    CpuCompute::axpy(d.inout(y, n), alpha, d.in(x, n), n);
  }
  void scale(float* y, float alpha, const float* x, int64_t n) override {
    Widened d(bf16_);
    CpuCompute::scale(d.out(y, n), alpha, d.in(x, n), n);
  }
  Result dot(const float* a, const float* b, int64_t n, Result add_to = kNotComputed) override {
    Widened d(bf16_);
    return CpuCompute::dot(d.in(a, n), d.in(b, n), n, add_to);
  }
  Result dot_float32(const float* a, const float* b, int64_t n, Result add_to = kNotComputed) override {
    return CpuCompute::dot(a, b, n, add_to);
  }
  void channel_gate(float* y, const float* x, int64_t rows, int64_t width, int64_t small, float big,
                    float small_gate) override {
    Widened d(bf16_);
    CpuCompute::channel_gate(d.out(y, rows * width), d.in(x, rows * width), rows, width, small, big, small_gate);
  }
  Result channel_gate_dots(const float* h, const float* g, int64_t rows, int64_t width, int64_t small) override {
    Widened d(bf16_);
    return CpuCompute::channel_gate_dots(d.in(h, rows * width), d.in(g, rows * width), rows, width, small);
  }
  Result softmax_cross_entropy(float* dlogits, const float* logits, const int32_t* labels, int64_t n, int64_t k,
                               float smoothing) override {
    Widened d(bf16_);
    return CpuCompute::softmax_cross_entropy(d.out(dlogits, n * k), d.in(logits, n * k), labels, n, k, smoothing);
  }
  Result mse_loss(float* da, const float* a, const float* b, int64_t n) override {
    Widened d(bf16_);
    return CpuCompute::mse_loss(d.out(da, n), d.in(a, n), d.in(b, n), n);
  }
  Result regression_sums(const float* a, const float* b, int64_t n) override {
    Widened d(bf16_);
    return CpuCompute::regression_sums(d.in(a, n), d.in(b, n), n);
  }
  // Results stay "on the device" until read_results(); each read back to the
  // host is counted as the device's waits are (a test holds a step to one).
  std::vector<double> read_results() override {
    ++host_waits_;
    return CpuCompute::read_results();
  }
  int64_t host_waits() const override { return host_waits_; }

 private:
  // A NaN whether read as float32 (0x7fc07fc0) or as bf16 (0x7fc0), over the
  // 4 bytes an element that every buffer reserves.
  static constexpr uint16_t kPoison = 0x7fc0;
  static void poison(float* data, int64_t count) {
    if (data) std::fill(B(data), B(data) + 2 * count, kPoison);
  }
  bool bf16_;  // Data storage in bf16
  int64_t host_waits_ = 0;
  std::string overrun_;  // what a release found written past a bf16 buffer
  std::mutex mutex_;
  std::unordered_map<std::vector<float>*, std::vector<float>> mirrors_;
};

}  // namespace

std::unique_ptr<Compute::Replay> Compute::capture(const std::function<void()>&) {
  throw_range("CUDA graphs need a CUDA device; the device is " + device());
}

std::unique_ptr<Compute> make_cpu_compute() { return std::make_unique<CpuCompute>(); }

std::unique_ptr<Compute> make_compute(const std::string& device, const std::string& precision) {
  if (precision != "fp32" && precision != "tf32" && precision != "bf16")
    throw_range("precision must be \"fp32\", \"tf32\" or \"bf16\", got \"" + precision + "\"");
  if (device == "cpu" || device == "cpu-mirrored") {
    // cpu-mirrored emulates bf16 storage (to test the engine's storage kinds without a GPU)
    if (device == "cpu-mirrored" && precision != "tf32") return std::make_unique<MirroredCpuCompute>(precision == "bf16");
    if (precision != "fp32") throw_range("precision " + precision + " needs a CUDA device; the CPU computes in fp32");
    return make_cpu_compute();
  }
  const std::string prefix = "cuda:";
  if (device.rfind(prefix, 0) == 0 && device.size() > prefix.size() && device.size() <= prefix.size() + 3 &&
      std::all_of(device.begin() + prefix.size(), device.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
#ifdef PRUNAS_WITH_CUDA
    return make_cuda_compute(std::stoi(device.substr(prefix.size())), precision);
#else
    throw_range("device " + device + " needs the CUDA backend, and this build has none");
#endif
  }
  throw_range("device must be \"cpu\" or \"cuda:N\", got \"" + device + "\"");
}

}  // namespace prunas::nn
