// Inference timing on the CPU or a CUDA device, for latency tables: the forward pass (BN in
// eval mode, nothing kept for a backward) of one op at its input shape, or
// of a whole fixed network, built from the same nn/ units the supernet runs.
// Warmup passes first, then every repeat timed alone (the host's monotonic
// clock, or CUDA events around the pass, or around one launch of the pass
// captured as a CUDA graph, on the device's stream); all repeat times come back, the caller
// takes the median and spread. Activation buffers are reused across passes
// (as in the supernet), so no repeat pays for page faults.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/conv_bn.h"
#include "nn/mbconv.h"
#include "nn/supernet.h"

namespace prunas::profile {

enum class OpKind {
  Conv,        // dense k×k conv → BN → act (the stem, `conv` ops)
  Pointwise,   // 1×1 conv → BN → act (the head)
  MBConv,      // the MBConv branch, plus the input when `residual`
  Classifier,  // global average pool → linear (cin features → cout classes)
};

struct OpShape {
  OpKind kind = OpKind::MBConv;
  int64_t batch = 1, height = 1, width = 1, cin = 1, cout = 1;
  int64_t kernel = 1, expand = 1, stride = 1;
  nn::Act act = nn::Act::Relu6;
  bool residual = false;
};

struct TimingOptions {
  int64_t warmup = 10;
  int64_t repeats = 50;
  uint64_t seed = 0;  // weights and input
  std::string device = "cpu";  // or "cuda:N"
  std::string precision = "fp32";  // or, on CUDA, "tf32" / "bf16" (nn/compute.h)
  // CUDA only: the pass captured once as a CUDA graph and each repeat one
  // launch of it, so the host's launch cost of each kernel drops out (as in
  // an inference server that replays graphs). The graph's output is checked
  // against a direct pass's, bit for bit.
  bool graph = false;
};

// Milliseconds of each repeat, in order.
std::vector<double> time_op(const OpShape& op, const TimingOptions& options);
// The network of a plan whose layers have one candidate each (a `zero` one
// is the identity and costs nothing), input → logits, at this batch.
std::vector<double> time_network(const nn::Plan& plan, int64_t batch, const TimingOptions& options);

// A chain of inference units: what both timings run.
class InferenceNet {
 public:
  explicit InferenceNet(uint64_t seed);
  void add_conv(nn::ConvKind kind, int64_t cin, int64_t cout, int64_t kernel, int64_t stride, nn::Act act);
  void add_mbconv(int64_t cin, int64_t cout, int64_t kernel, int64_t expand, int64_t stride, nn::Act act,
                  bool residual);
  void add_classifier(int64_t features, int64_t classes);
  // One eval-mode pass and its output (the caller drops it: back to the pool).
  nn::ActivationPtr forward(const nn::ActivationPtr& x, const nn::Geometry& in, nn::MemoryStats& stats);

 private:
  struct Unit {
    std::unique_ptr<nn::ConvBn> conv;
    std::unique_ptr<nn::MBConv> mbconv;
    bool residual = false;
    int64_t features = 0, classes = 0;  // classifier
    std::unique_ptr<nn::Param> weight, bias;
  };
  Philox init_;
  std::vector<Unit> units_;
};

}  // namespace prunas::profile
