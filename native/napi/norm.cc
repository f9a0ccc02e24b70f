#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

void init_norm(Napi::Env env, Napi::Object exports) {}

}  // namespace prunas::napi
