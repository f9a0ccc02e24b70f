#include "profile/timing.h"

#include <cstring>
#include <string>

#include "core/error.h"
#include "data/dataset.h"

namespace prunas::profile {

namespace {

// The pass captured as a CUDA graph, then each of `repeats` launches of it
// timed. Its output after the last launch must equal, bit for bit, a direct
// pass's (the kernels are deterministic): a graph that ran stale copies or
// skipped work would time something else. Its intermediate buffers are the
// pool's released blocks, which still hold the direct pass's values: they
// are poisoned with NaN first, so a skipped node anywhere shows.
std::vector<double> time_graph(InferenceNet& net, const nn::ActivationPtr& x, const nn::Geometry& in,
                               nn::MemoryStats& stats, int64_t repeats) {
  nn::Compute& compute = stats.compute;
  std::vector<float> direct;
  {
    const nn::ActivationPtr y = net.forward(x, in, stats);
    direct.resize(static_cast<size_t>(y->size()));
    compute.download(direct.data(), y->data(), y->size());
  }
  nn::ActivationPtr captured;  // written by every launch; held so that no other work is handed its buffer
  auto graph = compute.capture([&] { captured = net.forward(x, in, stats); });
  // Capturing ran nothing, and the pool may have handed the capture the
  // direct pass's output buffer: cleared, it holds only what launches write.
  compute.zero(captured->data(), captured->size());
  compute.poison_cache();
  graph->launch();  // the first launch also uploads the graph to the device
  std::vector<double> ms;
  ms.reserve(static_cast<size_t>(repeats));
  for (int64_t i = 0; i < repeats; ++i) ms.push_back(compute.time_ms([&] { graph->launch(); }));
  std::vector<float> replayed(direct.size());
  compute.download(replayed.data(), captured->data(), captured->size());
  if (std::memcmp(replayed.data(), direct.data(), direct.size() * sizeof(float)) != 0)
    throw_error("the CUDA graph's output differs from a direct pass's on " + compute.device() +
                ": graph timing would not time the op");
  return ms;
}

// Runs the forward options.warmup times, then times each of options.repeats
// passes with the compute's clock (the host's monotonic clock; events on the
// device's stream for CUDA).
std::vector<double> time_forward(InferenceNet& net, const nn::Geometry& in, const TimingOptions& options) {
  auto compute = nn::make_compute(options.device, options.precision);
  auto lock = compute->enter();
  nn::MemoryStats stats(*compute);
  auto x = nn::make_activation(stats, in.size());
  Philox rng(options.seed, kProfileStream);
  std::vector<float> host(static_cast<size_t>(x->size()));
  for (float& v : host) v = rng.normal();
  compute->upload(x->data(), host.data(), x->size());
  auto pass = [&] { net.forward(x, in, stats); };
  for (int64_t i = 0; i < options.warmup; ++i) pass();
  if (options.graph) return time_graph(net, x, in, stats, options.repeats);
  std::vector<double> ms;
  ms.reserve(static_cast<size_t>(options.repeats));
  for (int64_t i = 0; i < options.repeats; ++i) ms.push_back(compute->time_ms(pass));
  return ms;
}

void check_options(const TimingOptions& options) {
  check_range("warmup", options.warmup, 0, 1 << 20);
  check_range("repeats", options.repeats, 1, 1 << 20);
}

}  // namespace

InferenceNet::InferenceNet(uint64_t seed) : init_(seed, kInitStream) {}

void InferenceNet::add_conv(nn::ConvKind kind, int64_t cin, int64_t cout, int64_t kernel, int64_t stride,
                            nn::Act act) {
  Unit u;
  u.conv = std::make_unique<nn::ConvBn>("unit" + std::to_string(units_.size()), kind, cin, cout, kernel, stride, act,
                                        init_);
  units_.push_back(std::move(u));
}

void InferenceNet::add_mbconv(int64_t cin, int64_t cout, int64_t kernel, int64_t expand, int64_t stride, nn::Act act,
                              bool residual) {
  if (residual && (stride != 1 || cin != cout))
    throw_range("a residual needs stride 1 and cin = cout, got stride " + std::to_string(stride) + ", cin " +
                std::to_string(cin) + ", cout " + std::to_string(cout));
  Unit u;
  u.mbconv = std::make_unique<nn::MBConv>("unit" + std::to_string(units_.size()), cin, cout, kernel, expand, stride,
                                          act, init_);
  u.residual = residual;
  units_.push_back(std::move(u));
}

void InferenceNet::add_classifier(int64_t features, int64_t classes) {
  Unit u;
  u.features = features;
  u.classes = classes;
  u.weight = std::make_unique<nn::Param>("classifier.weight", classes * features);
  u.weight->init_normal(init_, 0.01f);
  u.bias = std::make_unique<nn::Param>("classifier.bias", classes);
  units_.push_back(std::move(u));
}

nn::ActivationPtr InferenceNet::forward(const nn::ActivationPtr& x, const nn::Geometry& in,
                                       nn::MemoryStats& stats) {
  nn::Mode eval;
  eval.train = false;
  eval.keep = false;
  nn::ActivationPtr h = x;
  nn::Geometry g = in;
  for (Unit& u : units_) {
    if (u.conv) {
      h = u.conv->forward(h, g, eval, stats);
      g = u.conv->output_geometry(g);
    } else if (u.mbconv) {
      nn::ActivationPtr y = u.mbconv->forward(h, g, eval, stats);
      if (u.residual) stats.compute.add(y->data(), y->data(), h->data(), y->size());
      h = std::move(y);
      g = u.mbconv->output_geometry(g);
    } else {
      if (g.c != u.features)
        throw_range("classifier: input has " + std::to_string(g.c) + " channels, expected " +
                    std::to_string(u.features));
      auto pooled = nn::make_activation(stats, g.n * u.features);
      nn::Compute& k = stats.compute;
      k.pool_forward(pooled->data(), h->data(), g.n, g.h * g.w, u.features);
      auto logits = nn::make_activation(stats, g.n * u.classes);
      k.linear_forward(logits->data(), pooled->data(), k.mirror(u.weight->value), k.mirror(u.bias->value), g.n,
                       u.features, u.classes);
      h = std::move(logits);
      g = {g.n, 1, 1, u.classes};
    }
  }
  return h;
}

std::vector<double> time_op(const OpShape& op, const TimingOptions& options) {
  check_options(options);
  InferenceNet net(options.seed);
  switch (op.kind) {
    case OpKind::Conv: net.add_conv(nn::ConvKind::Dense, op.cin, op.cout, op.kernel, op.stride, op.act); break;
    case OpKind::Pointwise: net.add_conv(nn::ConvKind::Pointwise, op.cin, op.cout, 1, 1, op.act); break;
    case OpKind::MBConv:
      net.add_mbconv(op.cin, op.cout, op.kernel, op.expand, op.stride, op.act, op.residual);
      break;
    case OpKind::Classifier: net.add_classifier(op.cin, op.cout); break;
  }
  return time_forward(net, {op.batch, op.height, op.width, op.cin}, options);
}

std::vector<double> time_network(const nn::Plan& plan, int64_t batch, const TimingOptions& options) {
  check_options(options);
  InferenceNet net(options.seed);
  net.add_conv(nn::ConvKind::Dense, plan.channels, plan.stem_out, plan.stem_kernel, plan.stem_stride, plan.stem_act);
  int64_t channels = plan.stem_out;
  for (size_t i = 0; i < plan.layers.size(); ++i) {
    const nn::LayerPlan& layer = plan.layers[i];
    if (layer.candidates.size() != 1)
      throw_range("layers[" + std::to_string(i) + "] has " + std::to_string(layer.candidates.size()) +
                  " candidates: a network to time has one op per layer");
    const nn::CandidatePlan& op = layer.candidates[0];
    const bool residual = layer.stride == 1 && channels == layer.out;
    if (op.zero) {
      if (!residual) throw_range("layers[" + std::to_string(i) + "]: zero needs a residual (stride 1, in = out)");
      continue;  // the identity
    }
    net.add_mbconv(channels, layer.out, op.kernel, op.expand, layer.stride, op.act, residual);
    channels = layer.out;
  }
  if (plan.head_out > 0) {
    net.add_conv(nn::ConvKind::Pointwise, channels, plan.head_out, 1, 1, plan.head_act);
    channels = plan.head_out;
  }
  net.add_classifier(channels, plan.classes);
  return time_forward(net, {batch, plan.height, plan.width, plan.channels}, options);
}

}  // namespace prunas::profile
