// Where a supernet's tensors live and its ops run: the host (native/cpu
// kernels on the thread pool) or one CUDA device (native/cuda launchers on
// the device's stream). The layers of native/nn call only this interface, so
// one implementation of every mode, backward and optimizer step serves both.
//
// Pointers passed to the ops are storage pointers: host memory for the CPU,
// device memory for CUDA. Activations come from allocate(); parameters, their
// gradients, optimizer state and BN running statistics live in host vectors
// (the checkpointed state) and the ops see them through mirror(): the vector
// itself on the CPU, a device copy kept between steps on CUDA. Host code that
// reads those vectors calls to_host() first; host code that writes them, or
// changes the structure (removal, shrinking), calls drop_mirrors() after.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cpu/optim.h"

namespace prunas::nn {

enum class ConvKind { Dense, Depthwise, Pointwise };
enum class Act { None, Relu, Relu6, Hswish };

// One convolution: NHWC input n×h×w×cin, kernel k, stride s, padding k/2;
// dense weights [cout][k][k][cin], depthwise [k][k][c], pointwise [cout][cin].
struct ConvShape {
  ConvKind kind;
  int64_t n, h, w, cin, cout, kernel, stride;
  int64_t ho() const { return (h + stride - 1) / stride; }
  int64_t wo() const { return (w + stride - 1) / stride; }
};

// A scalar result of a pass: a slot index of Compute's results, or one of
// the two markers (read as NaN: not computed; as 0: known to be zero).
using Result = int64_t;
constexpr Result kNotComputed = -1;
constexpr Result kZeroResult = -2;
inline double result_value(const std::vector<double>& results, Result r) {
  if (r == kZeroResult) return 0.0;
  if (r < 0 || r >= static_cast<Result>(results.size())) return std::numeric_limits<double>::quiet_NaN();
  return results[static_cast<size_t>(r)];
}

// One parameter tensor of an optimizer step (storage pointers).
struct ParamUpdate {
  float* value;
  const float* grad;
  float* momentum;  // SGD, null without momentum
  float* adam_m;    // Adam
  float* adam_v;
  int64_t size;
  bool first;       // SGD: the momentum buffer's first step
  int64_t step;     // Adam: 1-based step of these moments
};

// Calls of one op and the milliseconds they took (a profiled compute).
struct OpTime {
  int64_t calls = 0;
  double ms = 0.0;
};

class Compute {
 public:
  virtual ~Compute() = default;
  virtual std::string device() const = 0;  // "cpu", "cpu-mirrored" or "cuda:N"
  // Storage is the host's own memory (no staging, no copies).
  bool on_host() const { return device() == "cpu"; }
  // The CUDA device index, −1 for the host.
  virtual int cuda_device() const { return -1; }
  // Held for the length of a job: one job at a time uses a device.
  virtual std::unique_lock<std::mutex> enter() = 0;
  // Milliseconds that `work` takes: the host's monotonic clock around it on
  // the CPU; on a device, events recorded around the work it queues.
  virtual double time_ms(const std::function<void()>& work) = 0;
  // Work captured once and queued again as a whole (capture()).
  class Replay {
   public:
    virtual ~Replay() = default;
    virtual void launch() = 0;
  };
  // The work `record` queues, captured as a CUDA graph without running it
  // (it may not wait for the device or copy between host and device); each
  // launch() of the result queues all of it again, reading and writing the
  // same buffers. CUDA only: a RangeError naming the device elsewhere.
  virtual std::unique_ptr<Replay> capture(const std::function<void()>& record);
  // Per op name, the calls and time since the last reset (a profiled compute,
  // make_profiled_compute; empty otherwise).
  virtual std::vector<std::pair<std::string, OpTime>> op_times() const { return {}; }
  virtual void reset_op_times() {}

  // ---- storage ----
  // Data: activations and their gradients, in the compute's activation type
  // (float32, or bf16 under precision "bf16": only the compute reads such a
  // buffer, so the float* naming it is opaque). Float32: float32 everywhere
  // (BN batch statistics, γ/β gradient scratch).
  enum class Storage { Data, Float32 };
  virtual float* allocate(int64_t count, Storage storage = Storage::Data) = 0;
  virtual void release(float* data, int64_t count, Storage storage = Storage::Data) = 0;
  virtual int64_t element_bytes(Storage storage) const { return storage == Storage::Data ? data_bytes() : 4; }
  virtual int64_t data_bytes() const { return 4; }
  virtual int64_t cached_bytes() const = 0;  // released storage kept for reuse
  virtual void empty_cache() = 0;
  // Fills the released storage kept for reuse with 0xff bytes (NaN), so that
  // work reading a buffer nothing wrote shows in its results.
  virtual void poison_cache() = 0;
  virtual float* mirror(std::vector<float>& host) = 0;  // null for an empty vector
  virtual void to_host() = 0;
  virtual void drop_mirrors() = 0;
  // Host float32 ↔ storage of the given kind (converted where the kinds differ).
  virtual void upload(float* dst, const float* host, int64_t n, Storage storage = Storage::Data) = 0;
  virtual void download(float* host, const float* src, int64_t n, Storage storage = Storage::Data) = 0;
  // Float32 storage → Data storage (the device batch, assembled in float32).
  virtual void from_float32(float* dst, const float* src, int64_t n) = 0;
  // On Data storage.
  virtual void copy(float* dst, const float* src, int64_t n) = 0;
  virtual void zero(float* dst, int64_t n) = 0;

  // ---- layers (no bias; weight gradients overwrite; dx or dw may be null) ----
  virtual void conv_forward(const ConvShape& s, float* y, const float* x, const float* w) = 0;
  virtual void conv_backward(const ConvShape& s, float* dx, float* dw, const float* dy, const float* x,
                             const float* w) = 0;
  // y[rows, out] = x·Wᵀ + b (the classifier); dx, dw, db may be null.
  virtual void linear_forward(float* y, const float* x, const float* w, const float* b, int64_t rows, int64_t in,
                              int64_t out) = 0;
  virtual void linear_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w,
                               int64_t rows, int64_t in, int64_t out) = 0;
  // BatchNorm over [rows, c] fused with the activation after it: y = act(γ·x̂ + β);
  // y may be x; running statistics may be null (not updated). The backward
  // takes dy of the activation's output and recomputes the activation's
  // input from x and the statistics, so a unit keeps only its conv output.
  virtual void bn_forward_train(float* y, float* save_mean, float* save_invstd, float* running_mean,
                                float* running_var, const float* x, const float* gamma, const float* beta,
                                int64_t rows, int64_t c, float momentum, float eps, Act act) = 0;
  virtual void bn_forward_eval(float* y, const float* x, const float* gamma, const float* beta,
                               const float* running_mean, const float* running_var, int64_t rows, int64_t c,
                               float eps, Act act) = 0;
  virtual void bn_backward_train(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                                 const float* gamma, const float* beta, const float* mean, const float* invstd,
                                 int64_t rows, int64_t c, Act act) = 0;
  virtual void bn_backward_eval(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                                const float* gamma, const float* beta, const float* running_mean,
                                const float* running_var, int64_t rows, int64_t c, float eps, Act act) = 0;
  virtual void pool_forward(float* y, const float* x, int64_t n, int64_t hw, int64_t c) = 0;
  virtual void pool_backward(float* dx, const float* dy, int64_t n, int64_t hw, int64_t c) = 0;

  // ---- elementwise ----
  virtual void add(float* y, const float* a, const float* b, int64_t n) = 0;  // y may be a or b
  virtual void axpy(float* y, float alpha, const float* x, int64_t n) = 0;    // y += α·x
  virtual void scale(float* y, float alpha, const float* x, int64_t n) = 0;   // y = α·x
  // Prunode mask: y[r, j] = (big + (j < small ? small_gate : 0))·x[r, j]; y may be x.
  virtual void channel_gate(float* y, const float* x, int64_t rows, int64_t width, int64_t small, float big,
                            float small_gate) = 0;

  // ---- results: the scalars a pass returns ----
  // The losses and inner products below leave their values in numbered
  // result slots where they were computed; read_results() returns every slot
  // written since begin_results() at once. On a device a pass therefore waits
  // for the stream once, at its end, instead of at every gate.
  virtual void begin_results() = 0;
  virtual std::vector<double> read_results() = 0;
  // How many times the host has waited for the device (read_results, downloads,
  // copies back; on CUDA every stream synchronization of the device); 0 on the CPU.
  virtual int64_t host_waits() const { return 0; }
  // ⟨a, b⟩ in double, fixed order, into a new slot, or added to slot `add_to`.
  virtual Result dot(const float* a, const float* b, int64_t n, Result add_to = kNotComputed) = 0;
  // The same on Float32 storage (parameters, γ/β gradients).
  virtual Result dot_float32(const float* a, const float* b, int64_t n, Result add_to = kNotComputed) {
    return dot(a, b, n, add_to);
  }
  // Slots r, r + 1: Σ over all channels and Σ over the first `small` of h·d, in double.
  virtual Result channel_gate_dots(const float* h, const float* d, int64_t rows, int64_t width, int64_t small) = 0;
  // Slots r, r + 1: the mean label-smoothed cross-entropy and the count of
  // correct predictions; labels are host memory in [0, k).
  virtual Result softmax_cross_entropy(float* dlogits, const float* logits, const int32_t* labels, int64_t n,
                                       int64_t k, float smoothing) = 0;
  // Slots r, r + 1: the mean squared error and 0.
  virtual Result mse_loss(float* da, const float* a, const float* b, int64_t n) = 0;
  // Slots r .. r + 3: Σ (a − b)², Σ |a − b|, Σ b, Σ b² in double (a block
  // plan's metrics: a the output, b the target).
  virtual Result regression_sums(const float* a, const float* b, int64_t n) = 0;

  // ---- optimizer: every parameter of a step at once ----
  virtual void sgd_step(const std::vector<ParamUpdate>& params, const cpu::SgdOptions& o) = 0;
  virtual void adam_step(const std::vector<ParamUpdate>& params, const cpu::AdamOptions& o) = 0;
};

// "cpu", "cuda:N", or "cpu-mirrored": the host's kernels behind a device's
// protocol (separate storage, parameter copies that only to_host() brings
// back and drop_mirrors() discards, storage poisoned with NaN when handed
// out and when released, one job at a time), so that the engine's
// synchronisation with a device is tested where no GPU is.
// A RangeError naming the device when it cannot be used
// (no CUDA in this build, no such device). precision: "fp32" (strict float32
// everywhere, the default) or, on CUDA, "tf32" (convolutions and matrix
// products on TF32 tensor cores; everything else float32) or "bf16"
// (activations stored in bf16, bf16 tensor-core products with float32
// accumulation; parameters, gradients, optimizer state and BN statistics in
// float32). "cpu-mirrored" also takes "bf16": activations stored as 16-bit
// bf16 and computed in float32, so the engine's storage kinds are tested
// where no GPU is.
std::unique_ptr<Compute> make_compute(const std::string& device, const std::string& precision = "fp32");
std::unique_ptr<Compute> make_cpu_compute();
// `inner` with every op timed by inner's time_ms (nn/compute_profiled.cc).
std::unique_ptr<Compute> make_profiled_compute(std::unique_ptr<Compute> inner);
// Defined by the CUDA backend (native/cuda/compute.cc) in CUDA builds.
std::unique_ptr<Compute> make_cuda_compute(int device, const std::string& precision);

}  // namespace prunas::nn
