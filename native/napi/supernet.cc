// Supernet: the JS handle on a native supernet. The plan crosses once, at
// construction; batches cross per step (sync or off the main thread). Jobs
// on one supernet run one at a time (a mutex), and keep the supernet alive
// even if the handle is disposed meanwhile.
#include <memory>
#include <mutex>

#include "napi/families.h"
#include "napi/kernel_binding.h"
#include "nn/supernet.h"

namespace prunas::napi {

namespace {

struct Held {
  explicit Held(const nn::Plan& plan, uint64_t seed) : net(plan, seed) {}
  nn::Supernet net;
  std::mutex mutex;
};

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
  p.channels = a.integer("channels", 1, 4);
  p.classes = a.integer("classes", 1, 1 << 20);
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
  return p;
}

struct Batch {
  Span<float> x;
  Span<int32_t> y;
  Span<int32_t> choices;
  int64_t n;
};

Batch parse_batch(Args& a, const nn::Supernet& net) {
  Batch b;
  b.y = a.i32("y", -1);
  b.n = b.y.length;
  if (b.n < 1) throw_range(a.where("y") + " must not be empty");
  b.x = a.f32("x", b.n * net.input_size());
  b.choices = a.i32("choices", net.layer_count());
  net.check_choices(b.choices.data, b.choices.length);
  for (int64_t i = 0; i < b.n; ++i)
    if (b.y.data[i] < 0 || b.y.data[i] >= net.plan().classes)
      throw_range(a.where("y") + "[" + std::to_string(i) + "] = " + std::to_string(b.y.data[i]) + " is outside [0, " +
                  std::to_string(net.plan().classes) + ")");
  return b;
}

using StepJob = std::function<nn::StepResult()>;

Napi::Object step_object(Napi::Env env, const nn::StepResult& r) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("loss", r.loss);
  o.Set("correct", static_cast<double>(r.correct));
  return o;
}

class StepWorker : public Napi::AsyncWorker {
 public:
  StepWorker(Napi::Env env, std::unique_ptr<Args> args, std::shared_ptr<Held> held, StepJob job)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), args_(std::move(args)),
        held_(std::move(held)), job_(std::move(job)) {}
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      std::lock_guard<std::mutex> lock(held_->mutex);
      result_ = job_();
    } catch (const Error& e) {
      kind_ = e.kind();
      SetError(e.what());
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(step_object(Env(), result_)); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(to_js_error(Env(), kind_, e.Message()).Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::unique_ptr<Args> args_;
  std::shared_ptr<Held> held_;
  StepJob job_;
  nn::StepResult result_;
  ErrorKind kind_ = ErrorKind::Generic;
};

class SupernetHandle : public Napi::ObjectWrap<SupernetHandle> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "Supernet",
                       {InstanceMethod<&SupernetHandle::train_step>("trainStep"),
                        InstanceMethod<&SupernetHandle::train_step_async>("trainStepAsync"),
                        InstanceMethod<&SupernetHandle::evaluate>("evaluate"),
                        InstanceMethod<&SupernetHandle::evaluate_async>("evaluateAsync"),
                        InstanceMethod<&SupernetHandle::gradients>("gradients"),
                        InstanceMethod<&SupernetHandle::recalibrate>("recalibrate"),
                        InstanceMethod<&SupernetHandle::parameters>("parameters"),
                        InstanceMethod<&SupernetHandle::read_parameter>("readParameter"),
                        InstanceMethod<&SupernetHandle::write_parameter>("writeParameter"),
                        InstanceMethod<&SupernetHandle::running_stats>("runningStats"),
                        InstanceMethod<&SupernetHandle::memory_stats>("memoryStats"),
                        InstanceMethod<&SupernetHandle::dispose>("dispose")});
  }

  explicit SupernetHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SupernetHandle>(info) {
    guarded(info, [&] {
      Args a(info, "Supernet");
      const nn::Plan plan = parse_plan(a);
      const auto seed = static_cast<uint64_t>(a.integer("seed", 0, (int64_t{1} << 53) - 1));
      held_ = std::make_shared<Held>(plan, seed);
      return info.Env().Undefined();
    });
  }

 private:
  template <typename F>
  static Napi::Value guarded(const Napi::CallbackInfo& info, F f) {
    try {
      return f();
    } catch (const Napi::Error&) {
      throw;
    } catch (const std::exception& e) {
      throw_js(info.Env(), e);
    }
  }

  std::shared_ptr<Held> live(Napi::Env env) const {
    if (!held_) throw Napi::Error::New(env, "Supernet: used after dispose()");
    return held_;
  }

  // {x, y, choices, lr, momentum, nesterov, weightDecay, labelSmoothing}
  static StepJob train_job(Args& a, const std::shared_ptr<Held>& held) {
    const Batch b = parse_batch(a, held->net);
    cpu::SgdOptions sgd;
    sgd.lr = static_cast<float>(a.number("lr", 0.0, 1e3));
    sgd.momentum = static_cast<float>(a.number("momentum", 0.0, 1.0, 0.9));
    sgd.nesterov = a.boolean("nesterov", true) && sgd.momentum > 0.0f;
    sgd.weight_decay = static_cast<float>(a.number("weightDecay", 0.0, 1.0, 4e-5));
    const float smoothing = static_cast<float>(a.number("labelSmoothing", 0.0, 1.0, 0.1));
    nn::Supernet* net = &held->net;
    return [=] { return net->train_step(b.x.data, b.y.data, b.n, b.choices.data, sgd, smoothing); };
  }

  static StepJob evaluate_job(Args& a, const std::shared_ptr<Held>& held) {
    const Batch b = parse_batch(a, held->net);
    nn::Supernet* net = &held->net;
    return [=] { return net->evaluate(b.x.data, b.y.data, b.n, b.choices.data); };
  }

  Napi::Value run_sync(const Napi::CallbackInfo& info, const char* name, StepJob (*make)(Args&, const std::shared_ptr<Held>&)) {
    return guarded(info, [&] {
      auto held = live(info.Env());
      Args a(info, name);
      StepJob job = make(a, held);
      std::lock_guard<std::mutex> lock(held->mutex);
      return Napi::Value(step_object(info.Env(), job()));
    });
  }

  Napi::Value run_async(const Napi::CallbackInfo& info, const char* name, StepJob (*make)(Args&, const std::shared_ptr<Held>&)) {
    return guarded(info, [&] {
      auto held = live(info.Env());
      auto args = std::make_unique<Args>(info, name);
      StepJob job = make(*args, held);
      auto* worker = new StepWorker(info.Env(), std::move(args), held, std::move(job));
      Napi::Promise p = worker->promise();
      worker->Queue();
      return Napi::Value(p);
    });
  }

  static StepJob recalibrate_job(Args& a, const std::shared_ptr<Held>& held) {
    const Batch b = parse_batch(a, held->net);
    nn::Supernet* net = &held->net;
    return [=] { return net->recalibrate(b.x.data, b.y.data, b.n, b.choices.data); };
  }

  Napi::Value recalibrate(const Napi::CallbackInfo& info) { return run_sync(info, "Supernet.recalibrate", recalibrate_job); }
  Napi::Value train_step(const Napi::CallbackInfo& info) { return run_sync(info, "Supernet.trainStep", train_job); }
  Napi::Value train_step_async(const Napi::CallbackInfo& info) { return run_async(info, "Supernet.trainStepAsync", train_job); }
  Napi::Value evaluate(const Napi::CallbackInfo& info) { return run_sync(info, "Supernet.evaluate", evaluate_job); }
  Napi::Value evaluate_async(const Napi::CallbackInfo& info) { return run_async(info, "Supernet.evaluateAsync", evaluate_job); }

  // {x, y, choices, labelSmoothing} → loss; leaves the gradients of the path in the parameters.
  Napi::Value gradients(const Napi::CallbackInfo& info) {
    return guarded(info, [&] {
      auto held = live(info.Env());
      Args a(info, "Supernet.gradients");
      const Batch b = parse_batch(a, held->net);
      const float smoothing = static_cast<float>(a.number("labelSmoothing", 0.0, 1.0, 0.0));
      std::lock_guard<std::mutex> lock(held->mutex);
      return Napi::Value(step_object(info.Env(), held->net.gradients(b.x.data, b.y.data, b.n, b.choices.data, smoothing)));
    });
  }

  Napi::Value parameters(const Napi::CallbackInfo& info) {
    return guarded(info, [&] {
      auto held = live(info.Env());
      std::lock_guard<std::mutex> lock(held->mutex);
      const auto params = held->net.all_params();
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

  nn::Param* param_at(Args& a, nn::Supernet& net) {
    const auto params = net.all_params();
    return params[a.integer("index", 0, static_cast<int64_t>(params.size()) - 1)];
  }

  // {index, value?, grad?, momentum?}: copies the parameter's tensors out;
  // returns whether its momentum has started.
  Napi::Value read_parameter(const Napi::CallbackInfo& info) {
    return guarded(info, [&] {
      auto held = live(info.Env());
      Args a(info, "Supernet.readParameter");
      std::lock_guard<std::mutex> lock(held->mutex);
      nn::Param* p = param_at(a, held->net);
      const bool started = p->momentum_started;
      const char* fields[] = {"value", "grad", "momentum"};
      const std::vector<float>* sources[] = {&p->value, &p->grad, &p->momentum};
      for (int f = 0; f < 3; ++f) {
        if (a.is_absent(fields[f])) continue;
        auto out = a.f32(fields[f], p->size());
        if (sources[f]->empty())
          std::fill(out.data, out.data + out.length, 0.0f);
        else
          std::copy(sources[f]->begin(), sources[f]->end(), out.data);
      }
      return Napi::Value(Napi::Boolean::New(info.Env(), started));
    });
  }

  // {index, value?, momentum?, momentumStarted?}: overwrites the parameter's
  // value and optimizer state (restoring a checkpoint).
  Napi::Value write_parameter(const Napi::CallbackInfo& info) {
    return guarded(info, [&] {
      auto held = live(info.Env());
      Args a(info, "Supernet.writeParameter");
      std::lock_guard<std::mutex> lock(held->mutex);
      nn::Param* p = param_at(a, held->net);
      if (!a.is_absent("value")) {
        auto v = a.f32("value", p->size());
        std::copy(v.data, v.data + v.length, p->value.begin());
      }
      if (!a.is_absent("momentum")) {
        auto m = a.f32("momentum", p->size());
        p->momentum.assign(m.data, m.data + m.length);
      }
      if (!a.is_absent("momentumStarted")) p->momentum_started = a.boolean("momentumStarted", false);
      return info.Env().Undefined();
    });
  }

  // BN running statistics: {} → number of BN units; {index} → its channels;
  // {index, mean, var, write?} → reads them into the arrays, or writes them.
  Napi::Value running_stats(const Napi::CallbackInfo& info) {
    return guarded(info, [&] {
      auto held = live(info.Env());
      Args a(info, "Supernet.runningStats");
      std::lock_guard<std::mutex> lock(held->mutex);
      const auto units = held->net.bn_units();
      if (a.is_absent("index")) return Napi::Value(Napi::Number::New(info.Env(), static_cast<double>(units.size())));
      nn::ConvBn* u = units[a.integer("index", 0, static_cast<int64_t>(units.size()) - 1)];
      const bool write = a.boolean("write", false);
      const int64_t c = static_cast<int64_t>(u->running_mean().size());
      if (a.is_absent("mean") && a.is_absent("var")) return Napi::Value(Napi::Number::New(info.Env(), static_cast<double>(c)));
      auto mean = a.f32("mean", c);
      auto var = a.f32("var", c);
      if (write) {
        std::copy(mean.data, mean.data + c, u->running_mean().begin());
        std::copy(var.data, var.data + c, u->running_var().begin());
      } else {
        std::copy(u->running_mean().begin(), u->running_mean().end(), mean.data);
        std::copy(u->running_var().begin(), u->running_var().end(), var.data);
      }
      return Napi::Value(Napi::Number::New(info.Env(), static_cast<double>(c)));
    });
  }

  Napi::Value memory_stats(const Napi::CallbackInfo& info) {
    auto held = live(info.Env());
    std::lock_guard<std::mutex> lock(held->mutex);
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("currentBytes", static_cast<double>(held->net.memory().current_bytes));
    o.Set("peakBytes", static_cast<double>(held->net.memory().peak_bytes));
    return o;
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
