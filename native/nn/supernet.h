// The supernet: stem, mixed layers of candidate ops, optional head, global
// average pooling and a linear classifier, all in native memory with their
// gradients, optimizer state and BN running statistics. A step names the
// paths per layer in one of the modes of nn/mixed_layer.h; only those run
// and keep activations, so activation memory does not grow with the number
// of candidates (except in `sum` mode, the baseline).
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cpu/optim.h"
#include "nn/compute.h"
#include "nn/conv_bn.h"
#include "nn/mixed_layer.h"

namespace prunas::nn {

struct Plan {
  int64_t height = 0, width = 0, channels = 0, classes = 0;
  int64_t stem_kernel = 3, stem_stride = 1, stem_out = 0;
  Act stem_act = Act::Relu6;
  std::vector<LayerPlan> layers;
  int64_t head_out = 0;  // 0: no head
  Act head_act = Act::Relu6;
  // A DNA block (nn/block.cc): the input is a feature map (channels of any
  // width), no stem, head or classifier; the loss is the MSE to a target map.
  bool block = false;
};

// The paths of one step.
struct Paths {
  PathMode mode = PathMode::Single;
  std::vector<int32_t> active;  // per layer: single, fixed, pair, echo
  std::vector<int32_t> other;   // per layer: pair's second path, −1 for none
  std::vector<float> weights;   // sum: one gate per candidate, layers concatenated
  std::vector<float> prunode_gates;  // (z_big, z_small) per candidate, layers concatenated; empty: (1, 0)
};

// Where a step's samples come from (arrays borrowed from JS, or a native
// dataset): fill(begin, count, x, y) writes samples [begin, begin + count).
struct BatchSource {
  int64_t size = 0;
  std::function<void(int64_t begin, int64_t count, float* x, int32_t* y)> fill;
  // block plans: writes the target maps of samples [begin, begin + count)
  std::function<void(int64_t begin, int64_t count, float* target)> fill_target;
#ifdef PRUNAS_WITH_CUDA
  // A native dataset on a CUDA supernet: assembles the samples on device
  // `device` straight into device memory x (the dataset resident there), the
  // labels into host memory y. Unset for arrays from JS.
  std::function<void(int device, int64_t begin, int64_t count, float* x, int32_t* y)> fill_device;
#endif
};

// Block plans: sums over every value of the output maps (d = output − target, y = target).
struct RegressionSums {
  double squared = 0.0, absolute = 0.0, target = 0.0, target_squared = 0.0;
  int64_t values = 0;
  RegressionSums& operator+=(const RegressionSums& o) {
    squared += o.squared;
    absolute += o.absolute;
    target += o.target;
    target_squared += o.target_squared;
    values += o.values;
    return *this;
  }
};

struct Optimizer {
  enum class Kind { Sgd, Adam } kind = Kind::Sgd;
  cpu::SgdOptions sgd;
  cpu::AdamOptions adam;
};

struct StepResult {
  double loss = 0.0;  // mean over the samples
  int64_t correct = 0;
  int64_t count = 0;
  std::vector<double> gates;        // ∂L/∂z per candidate, layers concatenated; NaN where not evaluated
  std::vector<int64_t> per_class;   // evaluate: correct predictions per class
  std::vector<double> prunode_grads;  // (∂L/∂z_big, ∂L/∂z_small) per candidate; NaN where not a Prunode or not evaluated
  RegressionSums regression;        // block plans
};

class Supernet {
 public:
  // device: "cpu" or "cuda:N"; precision: "fp32", "tf32" or "bf16" (nn/compute.h);
  // profile: every op timed (compute().op_times(); on a device each op then waits for it)
  Supernet(const Plan& plan, uint64_t seed, const std::string& device = "cpu", const std::string& precision = "fp32",
           bool profile = false);
  ~Supernet();
  Supernet(const Supernet&) = delete;
  Supernet& operator=(const Supernet&) = delete;

  // One weight step on the whole source as a batch: train-mode forward along
  // the paths, label-smoothed cross-entropy, backward, then the optimizer
  // on the parameters that received gradients (and only those).
  StepResult weight_step(const BatchSource& batch, const Paths& paths, const Optimizer& opt, float label_smoothing);
  // Train-mode forward and backward for the gate gradients; no weight
  // gradient is computed and nothing is updated (BN running statistics only
  // when update_running).
  StepResult arch_step(const BatchSource& batch, const Paths& paths, float label_smoothing, bool update_running);
  // As weight_step without the update: the gradients stay in the parameters
  // (gradient checks). BN running statistics are not updated.
  StepResult gradients(const BatchSource& batch, const Paths& paths, float label_smoothing);
  // Eval mode (running statistics) in batches of batch_size; loss without
  // smoothing; logits (size × classes) when not null.
  StepResult evaluate(const BatchSource& source, const Paths& paths, int64_t batch_size, float* logits);
  // BN recalibration: resets the running statistics of every BN the paths
  // use, then train-mode forwards in batches of batch_size with momentum
  // 1/(k+1) for batch k: the running statistics become the average of the
  // batches' statistics (one batch: exactly its statistics).
  StepResult recalibrate(const BatchSource& source, const Paths& paths, int64_t batch_size);
  // nn/block.cc: the activations at the end of the given layers (−1: the
  // stem's output) along the paths, NHWC, one vector per layer, in batches
  // of batch_size. BN in eval mode (running statistics), or in train mode
  // (batch statistics, running statistics untouched) when train_bn.
  std::vector<std::vector<float>> features(const BatchSource& source, const Paths& paths, const std::vector<int>& layers,
                                           bool train_bn, int64_t batch_size);
  // Values per sample of the last layer's output (a block's target).
  int64_t output_size() const;

  // Checks the paths against the layers (lengths, ranges, removed
  // candidates); throws a RangeError naming choices[i], others[i] or weights[j].
  void check_paths(const Paths& paths) const;
  // Draws the paths from per-layer probabilities (layers concatenated) with
  // Philox(seed, kSampleStream, counter): single/fixed/echo one path per
  // layer; pair two distinct paths, then the active one from the pair's
  // renormalised probabilities (ProxylessNAS). Every layer consumes the same
  // number of draws whatever its candidates.
  void sample_paths(Paths& paths, const float* probabilities, int64_t count, uint64_t seed, uint64_t counter) const;

  void remove_candidate(int layer, int candidate);
  void remove_layer(int layer);
  // nn/supernet_prunode.cc: the Prunode at (layer, candidate) loses Δ hidden channels.
  void shrink_prunode(int layer, int candidate);
  Prunode* prunode(int layer, int candidate) const;

  int layer_count() const { return static_cast<int>(layers_.size()); }
  const MixedLayer& layer(int i) const { return *layers_[i]; }
  int64_t candidate_total() const { return offsets_.back(); }
  int64_t offset(int layer) const { return offsets_[layer]; }
  int64_t input_size() const { return plan_.height * plan_.width * plan_.channels; }
  const Plan& plan() const { return plan_; }
  std::vector<Param*> all_params();
  int64_t parameter_count();
  int64_t parameter_bytes();
  // Every conv+BN unit in a fixed order (for saving BN running statistics).
  std::vector<ConvBn*> bn_units();
  MemoryStats& memory() { return memory_; }
  Compute& compute() { return *compute_; }
  // Host access to parameters, optimizer state and BN statistics: before
  // reading them call sync_host(); after writing them call host_changed().
  void sync_host();
  void host_changed();
  // Frees the activation storage kept for reuse.
  void release_cache();

 private:
  struct Run {
    Mode mode;
    bool backward = false;
    bool weight_grads = false;
    float label_smoothing = 0.0f;
  };
  // Where a pass left its scalars (Compute's result slots), read once the
  // whole pass is queued.
  struct PassResults {
    Result loss = kNotComputed;  // loss + 1: the count of correct predictions
    Result regression = kNotComputed;  // block plans: the four sums of RegressionSums
    std::vector<Result> gates;   // per candidate, layers concatenated; empty without a backward
  };
  // One forward (and backward) of n samples already in `input`.
  StepResult pass(ActivationPtr input, const int32_t* labels, int64_t n, const Paths& paths, const Run& run,
                  float* logits, PassResults& results);
  // pass() and, when opt is given, the optimizer step after it; then the
  // pass's results are read (on a device, the one wait of a step).
  StepResult pass_guarded(ActivationPtr input, const int32_t* labels, int64_t n, const Paths& paths,
                          const Run& run, float* logits, const Optimizer* opt = nullptr);
  ActivationPtr fill(const BatchSource& source, int64_t begin, int64_t count, std::vector<int32_t>& labels);
  void clear_saved();
  void optimizer_step(const Optimizer& opt);
  // nn/supernet_prunode.cc: the step's gates into every Prunode; their gradients out.
  void check_prunode_gates(const Paths& paths) const;
  void set_prunode_gates(const Paths& paths);
  void collect_prunode_grads(StepResult& r, const std::vector<double>& results) const;
  // nn/block.cc: a block plan's loss on the output h against target_; dh when backward.
  StepResult regression_loss(const ActivationPtr& h, const Geometry& g, bool backward, ActivationPtr* dh,
                             PassResults& results);

  Plan plan_;
  // first, so that they outlive every layer's saved activations and mirrors
  std::unique_ptr<Compute> compute_;
  MemoryStats memory_;
  std::unique_ptr<ConvBn> stem_;
  std::vector<std::unique_ptr<MixedLayer>> layers_;
  std::vector<int64_t> offsets_;  // first candidate of each layer in the concatenated tables
  std::unique_ptr<ConvBn> head_;
  Param classifier_weight_, classifier_bias_;
  std::vector<float> target_;  // block plans: the target maps of the batch in flight
  // No pass ran since the last sync_host()/host_changed(): the host vectors
  // are current, and a checkpoint's many reads copy nothing more.
  bool host_current_ = true;
};

const char* mode_name(PathMode mode);

}  // namespace prunas::nn
