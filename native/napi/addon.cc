// The addon's entry point: every family of bindings registers itself here.
#include <napi.h>

#include "napi/cuda_bindings.h"
#include "napi/families.h"

namespace {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  prunas::napi::init_core(env, exports);
  prunas::napi::init_activation(env, exports);
  prunas::napi::init_gemm(env, exports);
  prunas::napi::init_conv(env, exports);
  prunas::napi::init_norm(env, exports);
  prunas::napi::init_pool(env, exports);
  prunas::napi::init_loss(env, exports);
  prunas::napi::init_optim(env, exports);
  prunas::napi::init_data(env, exports);
  prunas::napi::init_supernet(env, exports);
  prunas::napi::init_profile(env, exports);
  prunas::napi::init_cuda(env, exports);
  prunas::napi::init_cuda_bf16(env, exports);
  prunas::napi::init_cuda_bf16_layers(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(prunas, init)
