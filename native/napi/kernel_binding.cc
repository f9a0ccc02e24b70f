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

PromiseWorker::PromiseWorker(Napi::Env env, std::unique_ptr<Args> args)
    : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), args_(std::move(args)) {}

void PromiseWorker::Execute() {
  try {
    run();
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

void PromiseWorker::OnOK() { deferred_.Resolve(result(Env())); }

void PromiseWorker::OnError(const Napi::Error& e) { deferred_.Reject(to_js_error(Env(), kind_, e.Message()).Value()); }

namespace {

Napi::Value result_value(Napi::Env env, double result) {
  return std::isnan(result) ? env.Undefined() : Napi::Number::New(env, result);
}

}  // namespace

void export_kernel(Napi::Env env, Napi::Object exports, const char* name, KernelParser parse) {
  export_job(env, exports, name, parse, result_value);
}

}  // namespace prunas::napi
