// Process-level settings and facts: threads, vector path, RNG, CUDA devices.
#include <string>

#include "core/cpu_features.h"
#include "core/philox.h"
#include "core/thread_pool.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"
#ifdef PRUNAS_WITH_CUDA
#include "cuda/device_info.h"
#endif

namespace prunas::napi {

namespace {

// philoxFill({out, seed, stream, offset, kind: 0 uniform | 1 normal}):
// the engine's RNG exposed for tests of its statistics and determinism.
KernelJob parse_philox_fill(Args& a) {
  auto out = a.f32("out", -1);
  const auto seed = static_cast<uint64_t>(a.integer("seed", 0, (1LL << 53) - 1));
  const auto stream = static_cast<uint64_t>(a.integer("stream", 0, (1LL << 53) - 1, 0));
  const auto offset = static_cast<uint64_t>(a.integer("offset", 0, (1LL << 53) - 1, 0));
  const int64_t kind = a.integer("kind", 0, 1, 0);
  return [=] {
    Philox rng(seed, stream, offset);
    for (int64_t i = 0; i < out.length; ++i) out.data[i] = kind == 0 ? rng.uniform() : rng.normal();
    return kNoResult;
  };
}

// philoxBlock({words, out}): one raw Philox4x32-10 block for known-answer
// tests; words = [ctr0, ctr1, ctr2, ctr3, key0, key1] as 32-bit values.
KernelJob parse_philox_block(Args& a) {
  auto words = a.i32("words", 6);
  auto out = a.i32("out", 4);
  return [=] {
    auto u = [&](int i) { return static_cast<uint64_t>(static_cast<uint32_t>(words.data[i])); };
    Philox rng(u(4) | (u(5) << 32), u(2) | (u(3) << 32), u(0) | (u(1) << 32));
    const auto block = rng.next_block();
    for (int i = 0; i < 4; ++i) out.data[i] = static_cast<int32_t>(block[i]);
    return kNoResult;
  };
}

Napi::Value set_threads(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsNumber())
    throw Napi::TypeError::New(info.Env(), "setThreads: threads must be an integer, got " +
                                               (info.Length() < 1 ? std::string("nothing") : describe(info[0])));
  const double t = info[0].As<Napi::Number>().DoubleValue();
  if (!(t >= 0 && t <= 1024) || t != static_cast<int>(t))
    throw Napi::RangeError::New(info.Env(), "setThreads: threads must be an integer in [0, 1024], got " +
                                                describe(info[0]));
  set_cpu_threads(static_cast<int>(t));
  return Napi::Number::New(info.Env(), cpu_threads());
}

Napi::Value build_info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("threads", cpu_threads());
  o.Set("vectorPath", cpu_vector_path());
#ifdef PRUNAS_WITH_CUDA
  o.Set("cuda", true);
  o.Set("cudaRuntime", cuda_runtime_version());
  o.Set("cudaDevices", cuda_device_count());
#else
  o.Set("cuda", false);
  o.Set("cudaDevices", 0);
#endif
#ifdef PRUNAS_WITH_CUDNN
  o.Set("cudnn", true);
#else
  o.Set("cudnn", false);
#endif
#if defined(__SANITIZE_ADDRESS__)
  o.Set("sanitized", true);
#else
  o.Set("sanitized", false);
#endif
  return o;
}

}  // namespace

void init_core(Napi::Env env, Napi::Object exports) {
  exports.Set("setThreads", Napi::Function::New(env, set_threads, "setThreads"));
  exports.Set("buildInfo", Napi::Function::New(env, build_info, "buildInfo"));
  export_kernel(env, exports, "philoxFill", parse_philox_fill);
  export_kernel(env, exports, "philoxBlock", parse_philox_block);
}

}  // namespace prunas::napi
