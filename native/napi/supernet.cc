// Supernet: the JS handle on a native supernet. The plan crosses once, at
// construction; a step's samples cross as arrays or come from a native
// Dataset handle (assembled and augmented in the job). Every long call has a
// sync form and an async one (AsyncWorker → Promise). Jobs on one supernet
// run one at a time (a mutex) and keep the supernet, the dataset and the
// borrowed arrays alive until they end, even if a handle is disposed meanwhile.
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>

#include "data/dataset.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"
#include "napi/plan.h"
#include "napi/prunode.h"
#include "nn/supernet.h"
#ifdef PRUNAS_WITH_CUDA
#include "cuda/context.h"
#include "cuda/kernels.h"
#endif

namespace prunas::napi {

namespace {

struct Held {
  Held(const nn::Plan& plan, uint64_t seed, const std::string& device, const std::string& precision, bool profile)
      : net(plan, seed, device, precision, profile) {}
  nn::Supernet net;
  std::mutex mutex;
};

}  // namespace

nn::Act act_of(int32_t code, const std::string& where) {
  switch (code) {
    case 0: return nn::Act::None;
    case 1: return nn::Act::Relu;
    case 2: return nn::Act::Relu6;
    case 3: return nn::Act::Hswish;
  }
  throw_range(where + ": activation code must be 0..3, got " + std::to_string(code));
}

// {height, width, channels, classes, stem: [kernel, stride, out, act], head: [out, act] (out 0: none),
//  layers: [out, stride, candidates] per layer, candidates: [zero, kernel, expand, act] per candidate}
nn::Plan parse_plan(Args& a) {
  nn::Plan p;
  p.height = a.integer("height", 1, 1 << 14);
  p.width = a.integer("width", 1, 1 << 14);
  p.block = a.boolean("block", false);  // DNA block: a feature map in, MSE to a target map
  p.channels = a.integer("channels", 1, p.block ? 1 << 16 : 4);
  p.classes = a.integer("classes", p.block ? 0 : 1, 1 << 20);
  auto stem = a.i32("stem", 4);
  auto head = a.i32("head", 2);
  auto layers = a.i32("layers", -1);
  auto candidates = a.i32("candidates", -1);
  if (layers.length % 3 != 0) throw_range(a.where("layers") + " must hold 3 integers per layer");
  if (candidates.length % 4 != 0) throw_range(a.where("candidates") + " must hold 4 integers per candidate");
  check_range("stem kernel", stem.data[0], 1, 7);
  check_range("stem stride", stem.data[1], 1, 2);
  check_range("stem out", stem.data[2], 1, 1 << 16);
  p.stem_kernel = stem.data[0];
  p.stem_stride = stem.data[1];
  p.stem_out = stem.data[2];
  p.stem_act = act_of(stem.data[3], "stem");
  check_range("head out", head.data[0], 0, 1 << 16);
  p.head_out = head.data[0];
  p.head_act = act_of(head.data[1], "head");
  if (p.block && p.head_out != 0) throw_range(a.where("head") + ": a block has no head");
  int64_t next = 0;
  for (int64_t i = 0; i < layers.length / 3; ++i) {
    nn::LayerPlan l;
    const std::string where = "layers[" + std::to_string(i) + "]";
    l.out = layers.data[3 * i];
    l.stride = layers.data[3 * i + 1];
    const int64_t count = layers.data[3 * i + 2];
    check_range((where + " out").c_str(), l.out, 1, 1 << 16);
    check_range((where + " stride").c_str(), l.stride, 1, 2);
    check_range((where + " candidates").c_str(), count, 1, 64);
    if (next + count > candidates.length / 4) throw_range(where + ": candidates table is too short");
    for (int64_t c = 0; c < count; ++c, ++next) {
      const int32_t* row = candidates.data + 4 * next;
      nn::CandidatePlan cp;
      cp.zero = row[0] != 0;
      cp.kernel = row[1];
      cp.expand = row[2];
      cp.act = act_of(row[3], where);
      if (!cp.zero) {
        check_range((where + " kernel").c_str(), cp.kernel, 1, 7);
        if (cp.kernel % 2 == 0) throw_range(where + ": kernel must be odd, got " + std::to_string(cp.kernel));
        check_range((where + " expand").c_str(), cp.expand, 1, 64);
      }
      l.candidates.push_back(cp);
    }
    p.layers.push_back(l);
  }
  if (next != candidates.length / 4) throw_range(a.where("candidates") + " has rows no layer uses");
  parse_prunode_plan(a, p);
  return p;
}

namespace {

// A string option; `fallback` when absent (required when fallback is null).
std::string string_option(const Napi::CallbackInfo& info, Args& a, const char* name, const char* fallback) {
  Napi::Value v = info[0].As<Napi::Object>().Get(name);
  if ((v.IsUndefined() || v.IsNull()) && fallback) return fallback;
  if (!v.IsString()) throw_type(a.where(name) + " must be a string, got " + describe(v));
  return v.As<Napi::String>().Utf8Value();
}

nn::PathMode parse_mode(const Napi::CallbackInfo& info, Args& a) {
  const std::string mode = string_option(info, a, "mode", "single");
  const nn::PathMode all[] = {nn::PathMode::Single, nn::PathMode::Pair, nn::PathMode::Echo, nn::PathMode::Sum,
                              nn::PathMode::Fixed};
  for (nn::PathMode m : all)
    if (mode == nn::mode_name(m)) return m;
  throw_range(a.where("mode") + " must be one of single, pair, echo, sum, fixed, got \"" + mode.substr(0, 40) + "\"");
}

// The samples of a call: {x, y} arrays, or {dataset, indices, pad, hflip,
// mean, std, augmentSeed, augmentCounter} (sample i of the batch draws its
// augmentation from counter augmentCounter + i).
nn::BatchSource parse_source(const Napi::CallbackInfo& info, Args& a, const nn::Supernet& net) {
  const nn::Plan& plan = net.plan();
  nn::BatchSource source;
  if (plan.block) {
    // {x, target?}: feature maps in, the target maps of the block's output (features need none)
    if (!a.is_absent("dataset")) throw_range(a.where("dataset") + ": a block takes feature maps {x, target}");
    auto x = a.f32("x", -1);
    const int64_t in = net.input_size(), out = net.output_size();
    if (x.length % in != 0)
      throw_range(a.where("x") + " must hold whole " + std::to_string(in) + "-value feature maps, got " +
                  std::to_string(x.length) + " values");
    const int64_t n = x.length / in;
    auto target = a.f32_optional("target", n * out);
    source.size = n;
    source.fill = [x, in](int64_t begin, int64_t count, float* xo, int32_t*) {
      std::memcpy(xo, x.data + begin * in, sizeof(float) * count * in);
    };
    if (target.data)
      source.fill_target = [target, out](int64_t begin, int64_t count, float* to) {
        std::memcpy(to, target.data + begin * out, sizeof(float) * count * out);
      };
  } else if (!a.is_absent("dataset")) {
    std::shared_ptr<const Dataset> data = dataset_of(info[0].As<Napi::Object>().Get("dataset"), a.where("dataset"));
    if (data->height() != plan.height || data->width() != plan.width || data->channels() != plan.channels)
      throw_range(a.where("dataset") + " holds " + std::to_string(data->height()) + "×" +
                  std::to_string(data->width()) + "×" + std::to_string(data->channels()) +
                  " images, the supernet takes " + std::to_string(plan.height) + "×" + std::to_string(plan.width) +
                  "×" + std::to_string(plan.channels));
    if (data->classes() != plan.classes)
      throw_range(a.where("dataset") + " has " + std::to_string(data->classes()) + " classes, the supernet " +
                  std::to_string(plan.classes));
    auto indices = a.i32("indices", -1);
    for (int64_t i = 0; i < indices.length; ++i)
      if (indices.data[i] < 0 || indices.data[i] >= data->size())
        throw_range(a.where("indices") + "[" + std::to_string(i) + "] = " + std::to_string(indices.data[i]) +
                    " is outside [0, " + std::to_string(data->size()) + ")");
    Augmentation aug;
    aug.pad = static_cast<int>(a.integer("pad", 0, 64, 0));
    aug.hflip = a.boolean("hflip", false);
    auto mean = a.f32("mean", plan.channels);
    auto std = a.f32("std", plan.channels);
    aug.mean.assign(mean.data, mean.data + mean.length);
    aug.std.assign(std.data, std.data + std.length);
    for (int64_t c = 0; c < std.length; ++c)
      if (!(std.data[c] > 0.0f) || !std::isfinite(std.data[c]))
        throw_range(a.where("std") + "[" + std::to_string(c) + "] must be a finite number > 0");
    const auto seed = static_cast<uint64_t>(a.integer("augmentSeed", 0, (int64_t{1} << 53) - 1, 0));
    const auto counter = static_cast<uint64_t>(a.integer("augmentCounter", 0, (int64_t{1} << 53) - 1, 0));
    source.size = indices.length;
    source.fill = [data, indices, aug, seed, counter](int64_t begin, int64_t count, float* x, int32_t* y) {
      data->fill_batch(indices.data + begin, count, aug, seed, counter + static_cast<uint64_t>(begin), x, y);
    };
#ifdef PRUNAS_WITH_CUDA
    source.fill_device = [data, indices, aug, seed, counter](int device, int64_t begin, int64_t count, float* x,
                                                             int32_t* y) {
      cuda::assemble_batch(cuda::device_context(device), *data, indices.data + begin, count, aug, seed,
                           counter + static_cast<uint64_t>(begin), x, y, nullptr);
    };
#endif
  } else {
    auto y = a.i32("y", -1);
    auto x = a.f32("x", y.length * net.input_size());
    for (int64_t i = 0; i < y.length; ++i)
      if (y.data[i] < 0 || y.data[i] >= plan.classes)
        throw_range(a.where("y") + "[" + std::to_string(i) + "] = " + std::to_string(y.data[i]) + " is outside [0, " +
                    std::to_string(plan.classes) + ")");
    const int64_t sample = net.input_size();
    source.size = y.length;
    source.fill = [x, y, sample](int64_t begin, int64_t count, float* xo, int32_t* yo) {
      std::memcpy(xo, x.data + begin * sample, sizeof(float) * count * sample);
      std::memcpy(yo, y.data + begin, sizeof(int32_t) * count);
    };
  }
  if (source.size < 1) throw_range(a.where(a.is_absent("dataset") ? "y" : "indices") + " must not be empty");
  return source;
}

// The paths of a call: {mode, choices, others (pair)}, {mode, probabilities,
// sampleSeed, sampleCounter} (sampled natively, in the job), or
// {mode: 'sum', weights}.
struct PathRequest {
  nn::Paths paths;
  Span<float> probabilities;  // sample when non-empty
  uint64_t seed = 0, counter = 0;

  nn::Paths resolve(const nn::Supernet& net) const {
    nn::Paths p = paths;
    if (probabilities.data) net.sample_paths(p, probabilities.data, probabilities.length, seed, counter);
    return p;
  }
};

PathRequest parse_paths(const Napi::CallbackInfo& info, Args& a, const nn::Supernet& net, bool sampling) {
  PathRequest r;
  r.paths.mode = parse_mode(info, a);
  parse_prunode_gates(a, net, r.paths);
  const int64_t L = net.layer_count();
  if (r.paths.mode == nn::PathMode::Sum) {
    auto w = a.f32("weights", net.candidate_total());
    r.paths.weights.assign(w.data, w.data + w.length);
    return r;
  }
  if (sampling && !a.is_absent("probabilities")) {
    if (!a.is_absent("choices")) throw_range(a.kernel() + ": pass either choices or probabilities, not both");
    r.probabilities = a.f32("probabilities", net.candidate_total());
    r.seed = static_cast<uint64_t>(a.integer("sampleSeed", 0, (int64_t{1} << 53) - 1));
    r.counter = static_cast<uint64_t>(a.integer("sampleCounter", 0, (int64_t{1} << 53) - 1, 0));
    return r;
  }
  auto choices = a.i32("choices", L);
  r.paths.active.assign(choices.data, choices.data + L);
  if (r.paths.mode == nn::PathMode::Pair) {
    auto others = a.i32("others", L);
    r.paths.other.assign(others.data, others.data + L);
  }
  named(a.kernel(), [&] { net.check_paths(r.paths); });  // early, on the JS thread; the job checks again
  return r;
}

// What a job hands back to JS.
struct Outcome {
  nn::StepResult result;
  nn::Paths paths;
  std::vector<std::vector<float>> features;  // features: one map per requested layer
};

Napi::Object outcome_object(Napi::Env env, const Outcome& o) {
  const nn::StepResult& r = o.result;
  Napi::Object out = Napi::Object::New(env);
  out.Set("loss", r.loss);
  out.Set("correct", static_cast<double>(r.correct));
  out.Set("count", static_cast<double>(r.count));
  if (o.paths.mode != nn::PathMode::Sum && !o.paths.active.empty()) {
    auto choices = Napi::Int32Array::New(env, o.paths.active.size());
    std::copy(o.paths.active.begin(), o.paths.active.end(), choices.Data());
    out.Set("choices", choices);
    auto others = Napi::Int32Array::New(env, o.paths.active.size());
    if (o.paths.other.size() == o.paths.active.size())
      std::copy(o.paths.other.begin(), o.paths.other.end(), others.Data());
    else
      std::fill(others.Data(), others.Data() + others.ElementLength(), -1);
    out.Set("others", others);
  }
  if (!r.gates.empty()) {
    auto gates = Napi::Float64Array::New(env, r.gates.size());
    std::copy(r.gates.begin(), r.gates.end(), gates.Data());
    out.Set("gates", gates);
  }
  if (r.regression.values > 0) {
    Napi::Object s = Napi::Object::New(env);
    s.Set("squared", r.regression.squared);
    s.Set("absolute", r.regression.absolute);
    s.Set("target", r.regression.target);
    s.Set("targetSquared", r.regression.target_squared);
    s.Set("values", static_cast<double>(r.regression.values));
    out.Set("regression", s);
  }
  if (!o.features.empty()) {
    Napi::Array maps = Napi::Array::New(env, o.features.size());
    for (size_t i = 0; i < o.features.size(); ++i) {
      auto m = Napi::Float32Array::New(env, o.features[i].size());
      std::copy(o.features[i].begin(), o.features[i].end(), m.Data());
      maps.Set(static_cast<uint32_t>(i), m);
    }
    out.Set("features", maps);
  }
  if (!r.per_class.empty()) {
    auto per_class = Napi::Int32Array::New(env, r.per_class.size());
    for (size_t i = 0; i < r.per_class.size(); ++i) per_class.Data()[i] = static_cast<int32_t>(r.per_class[i]);
    out.Set("perClassCorrect", per_class);
  }
  set_prunode_grads(env, out, r);
  return out;
}

using Job = std::function<Outcome()>;
using JobParser = Job (*)(const Napi::CallbackInfo&, Args&, nn::Supernet&);

// What every job reads first, in this order: its samples, then its paths
// (sampled in the job when `sampling` allows probabilities).
struct StepCall {
  nn::Supernet* net;
  nn::BatchSource source;
  PathRequest request;
  std::string where;
};

StepCall parse_step_call(const Napi::CallbackInfo& info, Args& a, nn::Supernet& net, bool sampling) {
  nn::BatchSource source = parse_source(info, a, net);
  PathRequest request = parse_paths(info, a, net, sampling);
  return {&net, std::move(source), std::move(request), a.kernel()};
}

// The job: resolves the call's paths, then step(net, source, outcome) fills
// the outcome; its errors carry the call's name.
template <typename Step>
Job job_of(StepCall call, Step step) {
  return [call = std::move(call), step] {
    return named(call.where, [&] {
      Outcome o;
      o.paths = call.request.resolve(*call.net);
      step(*call.net, call.source, o);
      return o;
    });
  };
}

float label_smoothing(Args& a, double fallback) {
  return static_cast<float>(a.number("labelSmoothing", 0.0, 1.0, fallback));
}

// {optimizer: 'sgd' | 'adam', lr, weightDecay, momentum, nesterov, beta1, beta2, eps, decoupled}
nn::Optimizer parse_optimizer(const Napi::CallbackInfo& info, Args& a) {
  nn::Optimizer opt;
  const std::string kind = string_option(info, a, "optimizer", "sgd");
  if (kind == "sgd") {
    opt.kind = nn::Optimizer::Kind::Sgd;
  } else if (kind == "adam") {
    opt.kind = nn::Optimizer::Kind::Adam;
  } else {
    throw_range(a.where("optimizer") + " must be one of sgd, adam, got \"" + kind.substr(0, 40) + "\"");
  }
  const float lr = static_cast<float>(a.number("lr", 0.0, 1e3));
  const float weight_decay = static_cast<float>(a.number("weightDecay", 0.0, 1.0, 4e-5));
  opt.sgd.lr = lr;
  opt.sgd.momentum = static_cast<float>(a.number("momentum", 0.0, 1.0, 0.9));
  opt.sgd.nesterov = a.boolean("nesterov", true) && opt.sgd.momentum > 0.0f;
  opt.sgd.weight_decay = weight_decay;
  opt.adam.lr = lr;
  opt.adam.beta1 = static_cast<float>(a.number("beta1", 0.0, 0.999999, 0.9));
  opt.adam.beta2 = static_cast<float>(a.number("beta2", 0.0, 0.999999, 0.999));
  opt.adam.eps = static_cast<float>(a.number("eps", 1e-30, 1.0, 1e-8));
  opt.adam.weight_decay = weight_decay;
  opt.adam.decoupled = a.boolean("decoupled", false);
  return opt;
}

// {samples, paths, optimizer options, labelSmoothing}
Job weight_step_job(const Napi::CallbackInfo& info, Args& a, nn::Supernet& supernet) {
  StepCall call = parse_step_call(info, a, supernet, true);
  const nn::Optimizer opt = parse_optimizer(info, a);
  const float smoothing = label_smoothing(a, 0.1);
  return job_of(std::move(call), [=](nn::Supernet& net, const nn::BatchSource& source, Outcome& o) {
    o.result = net.weight_step(source, o.paths, opt, smoothing);
  });
}

// {samples, paths, labelSmoothing, updateRunningStats}
Job arch_step_job(const Napi::CallbackInfo& info, Args& a, nn::Supernet& supernet) {
  StepCall call = parse_step_call(info, a, supernet, true);
  const float smoothing = label_smoothing(a, 0.0);
  const bool update_running = a.boolean("updateRunningStats", false);
  return job_of(std::move(call), [=](nn::Supernet& net, const nn::BatchSource& source, Outcome& o) {
    o.result = net.arch_step(source, o.paths, smoothing, update_running);
  });
}

// {samples, paths, labelSmoothing}: the gradients stay in the parameters.
Job gradients_job(const Napi::CallbackInfo& info, Args& a, nn::Supernet& supernet) {
  StepCall call = parse_step_call(info, a, supernet, false);
  const float smoothing = label_smoothing(a, 0.0);
  return job_of(std::move(call), [=](nn::Supernet& net, const nn::BatchSource& source, Outcome& o) {
    o.result = net.gradients(source, o.paths, smoothing);
  });
}

int64_t batch_size(Args& a, const nn::BatchSource& source) {
  return a.integer("batchSize", 1, int64_t{1} << 31, source.size);
}

// {samples, paths (single, fixed or sum), batchSize, logits?}
Job evaluate_job(const Napi::CallbackInfo& info, Args& a, nn::Supernet& supernet) {
  StepCall call = parse_step_call(info, a, supernet, false);
  const int64_t batch = batch_size(a, call.source);
  Span<float> logits = a.f32_optional("logits", call.source.size * call.net->plan().classes);
  return job_of(std::move(call), [=](nn::Supernet& net, const nn::BatchSource& source, Outcome& o) {
    o.result = net.evaluate(source, o.paths, batch, logits.data);
  });
}

// {samples, paths (single, fixed or sum), batchSize}
Job recalibrate_job(const Napi::CallbackInfo& info, Args& a, nn::Supernet& supernet) {
  StepCall call = parse_step_call(info, a, supernet, false);
  const int64_t batch = batch_size(a, call.source);
  return job_of(std::move(call), [=](nn::Supernet& net, const nn::BatchSource& source, Outcome& o) {
    o.result = net.recalibrate(source, o.paths, batch);
  });
}

// {samples, paths (single or fixed), layers: Int32Array (−1: the stem's output), trainBn, batchSize}
Job features_job(const Napi::CallbackInfo& info, Args& a, nn::Supernet& supernet) {
  StepCall call = parse_step_call(info, a, supernet, false);
  auto layers = a.i32("layers", -1);
  const std::vector<int> at(layers.data, layers.data + layers.length);
  const bool train_bn = a.boolean("trainBn", false);
  const int64_t batch = batch_size(a, call.source);
  return job_of(std::move(call), [=](nn::Supernet& net, const nn::BatchSource& source, Outcome& o) {
    o.features = net.features(source, o.paths, at, train_bn, batch);
    o.result.count = source.size;
  });
}

class SupernetHandle : public Napi::ObjectWrap<SupernetHandle> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(
        env, "Supernet",
        {InstanceMethod<&SupernetHandle::weight_step>("weightStep"),
         InstanceMethod<&SupernetHandle::weight_step_async>("weightStepAsync"),
         InstanceMethod<&SupernetHandle::arch_step>("archStep"),
         InstanceMethod<&SupernetHandle::arch_step_async>("archStepAsync"),
         InstanceMethod<&SupernetHandle::evaluate>("evaluate"),
         InstanceMethod<&SupernetHandle::evaluate_async>("evaluateAsync"),
         InstanceMethod<&SupernetHandle::recalibrate>("recalibrateBn"),
         InstanceMethod<&SupernetHandle::recalibrate_async>("recalibrateBnAsync"),
         InstanceMethod<&SupernetHandle::gradients>("gradients"),
         InstanceMethod<&SupernetHandle::features>("features"),
         InstanceMethod<&SupernetHandle::features_async>("featuresAsync"),
         InstanceMethod<&SupernetHandle::sample_paths>("samplePaths"),
         InstanceMethod<&SupernetHandle::remove_candidate>("removeCandidate"),
         InstanceMethod<&SupernetHandle::remove_layer>("removeLayer"),
         InstanceMethod<&SupernetHandle::shrink_prunode>("shrinkPrunode"),
         InstanceMethod<&SupernetHandle::prunode_widths>("prunodeWidths"),
         InstanceMethod<&SupernetHandle::structure>("structure"),
         InstanceMethod<&SupernetHandle::parameters>("parameters"),
         InstanceMethod<&SupernetHandle::parameter_count>("parameterCount"),
         InstanceMethod<&SupernetHandle::read_parameter>("readParameter"),
         InstanceMethod<&SupernetHandle::write_parameter>("writeParameter"),
         InstanceMethod<&SupernetHandle::bn_units>("bnUnits"),
         InstanceMethod<&SupernetHandle::running_stats>("runningStats"),
         InstanceMethod<&SupernetHandle::memory_stats>("memoryStats"),
         InstanceMethod<&SupernetHandle::release_cache>("releaseCache"),
         InstanceMethod<&SupernetHandle::op_times>("opTimes"),
         InstanceMethod<&SupernetHandle::reset_op_times>("resetOpTimes"),
         InstanceMethod<&SupernetHandle::dispose>("dispose")});
  }

  explicit SupernetHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SupernetHandle>(info) {
    guarded(info.Env(), [&] {
      Args a(info, "Supernet");
      const nn::Plan plan = parse_plan(a);
      const auto seed = static_cast<uint64_t>(a.integer("seed", 0, (int64_t{1} << 53) - 1));
      const std::string device = a.string("device", "cpu");
      const std::string precision = a.string("precision", "fp32");
      const bool profile = a.boolean("profile", false);
      held_ = named(a.kernel(), [&] { return std::make_shared<Held>(plan, seed, device, precision, profile); });
      return info.Env().Undefined();
    });
  }

 private:
  std::shared_ptr<Held> live(Napi::Env env) const {
    if (!held_) throw Napi::Error::New(env, "Supernet: used after dispose()");
    return held_;
  }

  // body(net) with the supernet locked, for calls without arguments.
  template <typename Body>
  Napi::Value with_net(const Napi::CallbackInfo& info, Body body) {
    return guarded(info.Env(), [&] {
      auto held = live(info.Env());
      std::lock_guard<std::mutex> lock(held->mutex);
      return body(held->net);
    });
  }

  // body(net, args) with the supernet locked; the arguments are read as `name`.
  template <typename Body>
  Napi::Value with_net(const Napi::CallbackInfo& info, const char* name, Body body) {
    return guarded(info.Env(), [&] {
      auto held = live(info.Env());
      Args a(info, name);
      std::lock_guard<std::mutex> lock(held->mutex);
      return body(held->net, a);
    });
  }

  // {layer, index (when `indexed`)}: change(net, layer, index), its errors
  // named after the call; the cached activation buffers go with the old
  // structure.
  template <typename Change>
  Napi::Value change_structure(const Napi::CallbackInfo& info, const char* name, bool indexed, Change change) {
    return with_net(info, name, [&](nn::Supernet& net, Args& a) {
      const int layer = static_cast<int>(a.integer("layer", 0, net.layer_count() - 1));
      const int index = indexed ? static_cast<int>(a.integer("index", 0, net.layer(layer).candidates() - 1)) : -1;
      named(a.kernel(), [&] { change(net, layer, index); });
      net.release_cache();
      return info.Env().Undefined();
    });
  }

  Napi::Value run_sync(const Napi::CallbackInfo& info, const char* name, JobParser parse) {
    return guarded(info.Env(), [&] {
      auto held = live(info.Env());
      Args a(info, name);
      Job job = parse(info, a, held->net);
      std::lock_guard<std::mutex> lock(held->mutex);
      return Napi::Value(outcome_object(info.Env(), job()));
    });
  }

  Napi::Value run_async(const Napi::CallbackInfo& info, const char* name, JobParser parse) {
    return guarded(info.Env(), [&] {
      auto held = live(info.Env());
      auto args = std::make_unique<Args>(info, name);
      Job job = parse(info, *args, held->net);
      auto locked = [held, job] {  // holds the supernet until the job ends
        std::lock_guard<std::mutex> lock(held->mutex);
        return job();
      };
      return Napi::Value(queue_job(info.Env(), std::move(args), std::move(locked), outcome_object));
    });
  }

  Napi::Value weight_step(const Napi::CallbackInfo& info) { return run_sync(info, "Supernet.weightStep", weight_step_job); }
  Napi::Value weight_step_async(const Napi::CallbackInfo& info) { return run_async(info, "Supernet.weightStep", weight_step_job); }
  Napi::Value arch_step(const Napi::CallbackInfo& info) { return run_sync(info, "Supernet.archStep", arch_step_job); }
  Napi::Value arch_step_async(const Napi::CallbackInfo& info) { return run_async(info, "Supernet.archStep", arch_step_job); }
  Napi::Value evaluate(const Napi::CallbackInfo& info) { return run_sync(info, "Supernet.evaluate", evaluate_job); }
  Napi::Value evaluate_async(const Napi::CallbackInfo& info) { return run_async(info, "Supernet.evaluate", evaluate_job); }
  Napi::Value recalibrate(const Napi::CallbackInfo& info) { return run_sync(info, "Supernet.recalibrateBn", recalibrate_job); }
  Napi::Value recalibrate_async(const Napi::CallbackInfo& info) { return run_async(info, "Supernet.recalibrateBn", recalibrate_job); }
  Napi::Value gradients(const Napi::CallbackInfo& info) { return run_sync(info, "Supernet.gradients", gradients_job); }
  Napi::Value features(const Napi::CallbackInfo& info) { return run_sync(info, "Supernet.features", features_job); }
  Napi::Value features_async(const Napi::CallbackInfo& info) { return run_async(info, "Supernet.features", features_job); }

  // {mode, probabilities, sampleSeed, sampleCounter} → {choices, others}: the
  // paths a step with these arguments would draw, without the step.
  Napi::Value sample_paths(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&] {
      auto held = live(info.Env());
      Args a(info, "Supernet.samplePaths");
      if (a.is_absent("probabilities")) throw_type(a.where("probabilities") + " must be a Float32Array, got undefined");
      const PathRequest request = parse_paths(info, a, held->net, true);
      std::lock_guard<std::mutex> lock(held->mutex);
      Outcome o = named(a.kernel(), [&] {
        Outcome out;
        out.paths = request.resolve(held->net);
        return out;
      });
      Napi::Object result = outcome_object(info.Env(), o);
      result.Delete("loss");
      result.Delete("correct");
      result.Delete("count");
      return Napi::Value(result);
    });
  }

  Napi::Value remove_candidate(const Napi::CallbackInfo& info) {
    return change_structure(info, "Supernet.removeCandidate", true,
                            [](nn::Supernet& net, int layer, int index) { net.remove_candidate(layer, index); });
  }

  Napi::Value remove_layer(const Napi::CallbackInfo& info) {
    return change_structure(info, "Supernet.removeLayer", false,
                            [](nn::Supernet& net, int layer, int) { net.remove_layer(layer); });
  }

  // The Prunode at {layer, index} loses Δ hidden channels (nn/prunode.h).
  Napi::Value shrink_prunode(const Napi::CallbackInfo& info) {
    return change_structure(info, "Supernet.shrinkPrunode", true,
                            [](nn::Supernet& net, int layer, int index) { net.shrink_prunode(layer, index); });
  }

  // Int32Array of [width, step, minWidth, maxWidth] per candidate (zeros: not a live Prunode).
  Napi::Value prunode_widths(const Napi::CallbackInfo& info) {
    return with_net(info, [&](nn::Supernet& net) {
      return napi::prunode_widths(info.Env(), net);
    });
  }

  // {live: Uint8Array (one per candidate, layers concatenated), removedLayers: Uint8Array, residual: Uint8Array}
  Napi::Value structure(const Napi::CallbackInfo& info) {
    return with_net(info, [&](const nn::Supernet& net) {
      auto live_flags = Napi::Uint8Array::New(info.Env(), static_cast<size_t>(net.candidate_total()));
      auto removed = Napi::Uint8Array::New(info.Env(), static_cast<size_t>(net.layer_count()));
      auto residual = Napi::Uint8Array::New(info.Env(), static_cast<size_t>(net.layer_count()));
      for (int l = 0; l < net.layer_count(); ++l) {
        removed.Data()[l] = net.layer(l).removed();
        residual.Data()[l] = net.layer(l).residual();
        for (int k = 0; k < net.layer(l).candidates(); ++k)
          live_flags.Data()[net.offset(l) + k] = net.layer(l).live(k);
      }
      Napi::Object o = Napi::Object::New(info.Env());
      o.Set("live", live_flags);
      o.Set("removedLayers", removed);
      o.Set("residual", residual);
      return Napi::Value(o);
    });
  }

  Napi::Value parameters(const Napi::CallbackInfo& info) {
    return with_net(info, [&](nn::Supernet& net) {
      const auto params = net.all_params();
      Napi::Array out = Napi::Array::New(info.Env(), params.size());
      for (size_t i = 0; i < params.size(); ++i) {
        Napi::Object o = Napi::Object::New(info.Env());
        o.Set("name", params[i]->name);
        o.Set("size", static_cast<double>(params[i]->size()));
        out.Set(static_cast<uint32_t>(i), o);
      }
      return Napi::Value(out);
    });
  }

  Napi::Value parameter_count(const Napi::CallbackInfo& info) {
    return with_net(info, [&](nn::Supernet& net) {
      return Napi::Value(Napi::Number::New(info.Env(), static_cast<double>(net.parameter_count())));
    });
  }

  static nn::Param* param_at(Args& a, nn::Supernet& net) {
    const auto params = net.all_params();
    return params[a.integer("index", 0, static_cast<int64_t>(params.size()) - 1)];
  }

  // {index, value?, grad?, momentum?, adamM?, adamV?}: copies the parameter's
  // tensors out (zeros for optimizer state not yet allocated); returns
  // {momentumStarted, adamSteps}.
  Napi::Value read_parameter(const Napi::CallbackInfo& info) {
    return with_net(info, "Supernet.readParameter", [&](nn::Supernet& net, Args& a) {
      nn::Param* p = param_at(a, net);
      net.sync_host();
      const char* fields[] = {"value", "grad", "momentum", "adamM", "adamV"};
      const std::vector<float>* sources[] = {&p->value, &p->grad, &p->momentum, &p->adam_m, &p->adam_v};
      for (int f = 0; f < 5; ++f) {
        if (a.is_absent(fields[f])) continue;
        auto out = a.f32(fields[f], p->size());
        if (sources[f]->empty())
          std::fill(out.data, out.data + out.length, 0.0f);
        else
          std::copy(sources[f]->begin(), sources[f]->end(), out.data);
      }
      Napi::Object o = Napi::Object::New(info.Env());
      o.Set("momentumStarted", p->momentum_started);
      o.Set("adamSteps", static_cast<double>(p->adam_steps));
      return Napi::Value(o);
    });
  }

  // {index, value?, momentum?, momentumStarted?, adamM?, adamV?, adamSteps?}:
  // overwrites the parameter's value and optimizer state (a checkpoint).
  Napi::Value write_parameter(const Napi::CallbackInfo& info) {
    return with_net(info, "Supernet.writeParameter", [&](nn::Supernet& net, Args& a) {
      nn::Param* p = param_at(a, net);
      net.sync_host();  // the other tensors' newest values stay when the device copies go
      if (!a.is_absent("value")) {
        auto v = a.f32("value", p->size());
        std::copy(v.data, v.data + v.length, p->value.begin());
      }
      if (!a.is_absent("momentum")) {
        auto m = a.f32("momentum", p->size());
        p->momentum.assign(m.data, m.data + m.length);
      }
      if (!a.is_absent("momentumStarted")) p->momentum_started = a.boolean("momentumStarted", false);
      if (!a.is_absent("adamM") || !a.is_absent("adamV")) {
        auto m = a.f32("adamM", p->size());
        auto v = a.f32("adamV", p->size());
        p->adam_m.assign(m.data, m.data + m.length);
        p->adam_v.assign(v.data, v.data + v.length);
      }
      if (!a.is_absent("adamSteps")) p->adam_steps = a.integer("adamSteps", 0, (int64_t{1} << 53) - 1);
      net.host_changed();
      return info.Env().Undefined();
    });
  }

  // The names of the conv+BN units, in the order runningStats indexes them.
  Napi::Value bn_units(const Napi::CallbackInfo& info) {
    return with_net(info, [&](nn::Supernet& net) {
      const auto units = net.bn_units();
      Napi::Array out = Napi::Array::New(info.Env(), units.size());
      for (size_t i = 0; i < units.size(); ++i) out.Set(static_cast<uint32_t>(i), units[i]->name());
      return Napi::Value(out);
    });
  }

  // BN running statistics: {} → number of BN units; {index} → its channels;
  // {index, mean, var, write?} → reads them into the arrays, or writes them.
  Napi::Value running_stats(const Napi::CallbackInfo& info) {
    return with_net(info, "Supernet.runningStats", [&](nn::Supernet& net, Args& a) {
      const auto units = net.bn_units();
      if (a.is_absent("index")) return Napi::Value(Napi::Number::New(info.Env(), static_cast<double>(units.size())));
      nn::ConvBn* u = units[a.integer("index", 0, static_cast<int64_t>(units.size()) - 1)];
      const bool write = a.boolean("write", false);
      const int64_t c = static_cast<int64_t>(u->running_mean().size());
      if (a.is_absent("mean") && a.is_absent("var")) return Napi::Value(Napi::Number::New(info.Env(), static_cast<double>(c)));
      auto mean = a.f32("mean", c);
      auto var = a.f32("var", c);
      net.sync_host();
      if (write) {
        std::copy(mean.data, mean.data + c, u->running_mean().begin());
        std::copy(var.data, var.data + c, u->running_var().begin());
        net.host_changed();
      } else {
        std::copy(u->running_mean().begin(), u->running_mean().end(), mean.data);
        std::copy(u->running_var().begin(), u->running_var().end(), var.data);
      }
      return Napi::Value(Napi::Number::New(info.Env(), static_cast<double>(c)));
    });
  }

  // Activation bytes in use now and at the peak of the last call (the
  // engine's own accounting), bytes cached for reuse, parameter bytes, and
  // the host's waits for the device so far.
  Napi::Value memory_stats(const Napi::CallbackInfo& info) {
    return with_net(info, [&](nn::Supernet& net) {
      nn::MemoryStats& m = net.memory();
      Napi::Object o = Napi::Object::New(info.Env());
      o.Set("currentBytes", static_cast<double>(m.current_bytes));
      o.Set("peakBytes", static_cast<double>(m.peak_bytes));
      o.Set("cachedBytes", static_cast<double>(net.compute().cached_bytes()));
      o.Set("parameterBytes", static_cast<double>(net.parameter_bytes()));
      o.Set("hostWaits", static_cast<double>(net.compute().host_waits()));
      return Napi::Value(o);
    });
  }

  // [{op, calls, ms}] per op name since the last reset (a profiled net; empty otherwise).
  Napi::Value op_times(const Napi::CallbackInfo& info) {
    return with_net(info, [&](nn::Supernet& net) {
      const auto times = net.compute().op_times();
      Napi::Array out = Napi::Array::New(info.Env(), times.size());
      for (size_t i = 0; i < times.size(); ++i) {
        Napi::Object o = Napi::Object::New(info.Env());
        o.Set("op", times[i].first);
        o.Set("calls", static_cast<double>(times[i].second.calls));
        o.Set("ms", times[i].second.ms);
        out.Set(static_cast<uint32_t>(i), o);
      }
      return Napi::Value(out);
    });
  }

  Napi::Value reset_op_times(const Napi::CallbackInfo& info) {
    return with_net(info, [&](nn::Supernet& net) {
      net.compute().reset_op_times();
      return info.Env().Undefined();
    });
  }

  // Frees the activation buffers kept for reuse.
  Napi::Value release_cache(const Napi::CallbackInfo& info) {
    return with_net(info, [&](nn::Supernet& net) {
      net.release_cache();
      return info.Env().Undefined();
    });
  }

  Napi::Value dispose(const Napi::CallbackInfo& info) {
    held_.reset();
    return info.Env().Undefined();
  }

  std::shared_ptr<Held> held_;
};

}  // namespace

void init_supernet(Napi::Env env, Napi::Object exports) { exports.Set("Supernet", SupernetHandle::define(env)); }

}  // namespace prunas::napi
