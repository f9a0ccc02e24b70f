// Exposes a kernel to JS twice: `name(args)` runs it on the calling thread
// and returns its number result; `nameAsync(args)` runs it on a libuv worker
// thread and returns a Promise. Both share one parser, which checks the
// arguments on the JS thread and returns the work as a closure.
#pragma once
#include <napi.h>

#include <functional>
#include <limits>
#include <memory>

#include "napi/args.h"

namespace prunas::napi {

// The work of one call; returns a scalar result (NaN when it has none).
// Result of a kernel that returns nothing (JS sees undefined).
constexpr double kNoResult = std::numeric_limits<double>::quiet_NaN();

using KernelJob = std::function<double()>;
using KernelParser = KernelJob (*)(Args& args);

void export_kernel(Napi::Env env, Napi::Object exports, const char* name, KernelParser parse);

// Throws the JS error matching a native error (TypeError, RangeError, Error).
[[noreturn]] void throw_js(Napi::Env env, const std::exception& error);
Napi::Error to_js_error(Napi::Env env, ErrorKind kind, const std::string& message);

}  // namespace prunas::napi
