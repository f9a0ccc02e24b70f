// Exposes a kernel to JS twice: `name(args)` runs it on the calling thread
// and returns its number result; `nameAsync(args)` runs it on a libuv worker
// thread and returns a Promise. Both share one parser, which checks the
// arguments on the JS thread and returns the work as a closure. Calls with
// other results (latency timings, supernet steps) use the same machinery:
// export_job, queue_job.
#pragma once
#include <napi.h>

#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "napi/args.h"

namespace prunas::napi {

// Result of a kernel that returns nothing (JS sees undefined).
constexpr double kNoResult = std::numeric_limits<double>::quiet_NaN();

using KernelJob = std::function<double()>;
using KernelParser = KernelJob (*)(Args& args);

void export_kernel(Napi::Env env, Napi::Object exports, const char* name, KernelParser parse);

// Throws the JS error matching a native error (TypeError, RangeError, Error).
[[noreturn]] void throw_js(Napi::Env env, const std::exception& error);
Napi::Error to_js_error(Napi::Env env, ErrorKind kind, const std::string& message);

// Runs `body` on the JS thread; a native error it throws becomes the matching JS error.
template <typename Body>
Napi::Value guarded(Napi::Env env, Body body) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw_js(env, e);
  }
}

// Runs `body`; a native error it throws gets the call's name in front.
template <typename Body>
auto named(const std::string& where, Body body) {
  try {
    return body();
  } catch (const Error& e) {
    throw Error(e.kind(), where + ": " + e.what());
  }
}

// Settles a Promise with the outcome of work done on a libuv worker thread:
// a native error rejects it with the matching JS error. Keeps the call's
// Args, and so its borrowed arrays, pinned until the work ends.
class PromiseWorker : public Napi::AsyncWorker {
 public:
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  PromiseWorker(Napi::Env env, std::unique_ptr<Args> args);
  virtual void run() = 0;                        // on the worker thread
  virtual Napi::Value result(Napi::Env env) = 0;  // on the JS thread, after run()

 private:
  void Execute() final;
  void OnOK() final;
  void OnError(const Napi::Error& e) final;

  Napi::Promise::Deferred deferred_;
  std::unique_ptr<Args> args_;
  ErrorKind kind_ = ErrorKind::Generic;
};

// Runs `job` on a worker thread; the Promise resolves to to_js(env, its result).
template <typename Job, typename ToJs>
Napi::Promise queue_job(Napi::Env env, std::unique_ptr<Args> args, Job job, ToJs to_js) {
  using Result = std::invoke_result_t<Job&>;
  class Worker final : public PromiseWorker {
   public:
    Worker(Napi::Env env, std::unique_ptr<Args> args, Job job, ToJs to_js)
        : PromiseWorker(env, std::move(args)), job_(std::move(job)), to_js_(std::move(to_js)) {}

   private:
    void run() override { result_ = job_(); }
    Napi::Value result(Napi::Env env) override { return to_js_(env, result_); }

    Job job_;
    ToJs to_js_;
    Result result_{};
  };
  auto* worker = new Worker(env, std::move(args), std::move(job), std::move(to_js));
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

// Exports `name` (runs on the calling thread) and `nameAsync` (a Promise):
// `parse` checks a call's arguments and returns its work, to_js turns the
// work's result into the JS value.
template <typename Job, typename ToJs>
void export_job(Napi::Env env, Napi::Object exports, const std::string& name, Job (*parse)(Args&), ToJs to_js) {
  exports.Set(name, Napi::Function::New(
                        env,
                        [parse, to_js, name](const Napi::CallbackInfo& info) {
                          return guarded(info.Env(), [&] {
                            Args args(info, name.c_str());
                            Job job = parse(args);
                            return Napi::Value(to_js(info.Env(), job()));
                          });
                        },
                        name));
  const std::string async_name = name + "Async";
  exports.Set(async_name, Napi::Function::New(
                              env,
                              [parse, to_js, async_name](const Napi::CallbackInfo& info) {
                                return guarded(info.Env(), [&] {
                                  auto args = std::make_unique<Args>(info, async_name.c_str());
                                  Job job = parse(*args);
                                  return Napi::Value(queue_job(info.Env(), std::move(args), std::move(job), to_js));
                                });
                              },
                              async_name));
}

}  // namespace prunas::napi
