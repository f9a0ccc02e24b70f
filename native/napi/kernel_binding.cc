#include "napi/kernel_binding.h"

#include <cmath>
#include <string>

namespace prunas::napi {

Napi::Error to_js_error(Napi::Env env, ErrorKind kind, const std::string& message) {
  switch (kind) {
    case ErrorKind::Type: return Napi::TypeError::New(env, message);
    case ErrorKind::Range: return Napi::RangeError::New(env, message);
    default: return Napi::Error::New(env, message);
  }
}

void throw_js(Napi::Env env, const std::exception& error) {
  if (auto* e = dynamic_cast<const Error*>(&error)) throw to_js_error(env, e->kind(), e->what());
  if (dynamic_cast<const std::bad_alloc*>(&error)) throw Napi::RangeError::New(env, "out of memory");
  throw Napi::Error::New(env, error.what());
}

namespace {

Napi::Value result_value(Napi::Env env, double result) {
  return std::isnan(result) ? env.Undefined() : Napi::Number::New(env, result);
}

class KernelWorker : public Napi::AsyncWorker {
 public:
  KernelWorker(Napi::Env env, std::unique_ptr<Args> args, KernelJob job)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), args_(std::move(args)),
        job_(std::move(job)) {}

  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      result_ = job_();
    } catch (const Error& e) {
      kind_ = e.kind();
      SetError(e.what());
    } catch (const std::bad_alloc&) {
      kind_ = ErrorKind::Range;
      SetError("out of memory");
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(result_value(Env(), result_)); }
  void OnError(const Napi::Error& e) override {
    deferred_.Reject(to_js_error(Env(), kind_, e.Message()).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::unique_ptr<Args> args_;  // keeps the borrowed arrays pinned until the job ends
  KernelJob job_;
  double result_ = NAN;
  ErrorKind kind_ = ErrorKind::Generic;
};

}  // namespace

void export_kernel(Napi::Env env, Napi::Object exports, const char* name, KernelParser parse) {
  const std::string sync_name = name;
  exports.Set(sync_name, Napi::Function::New(
                             env,
                             [parse, sync_name](const Napi::CallbackInfo& info) -> Napi::Value {
                               try {
                                 Args args(info, sync_name.c_str());
                                 KernelJob job = parse(args);
                                 return result_value(info.Env(), job());
                               } catch (const Napi::Error&) {
                                 throw;
                               } catch (const std::exception& e) {
                                 throw_js(info.Env(), e);
                               }
                             },
                             sync_name));
  const std::string async_name = sync_name + "Async";
  exports.Set(async_name, Napi::Function::New(
                              env,
                              [parse, async_name](const Napi::CallbackInfo& info) -> Napi::Value {
                                try {
                                  auto args = std::make_unique<Args>(info, async_name.c_str());
                                  KernelJob job = parse(*args);
                                  auto* worker = new KernelWorker(info.Env(), std::move(args), std::move(job));
                                  Napi::Promise promise = worker->promise();
                                  worker->Queue();
                                  return promise;
                                } catch (const Napi::Error&) {
                                  throw;
                                } catch (const std::exception& e) {
                                  throw_js(info.Env(), e);
                                }
                              },
                              async_name));
}

}  // namespace prunas::napi
