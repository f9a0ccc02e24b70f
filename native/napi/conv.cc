#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

void init_conv(Napi::Env env, Napi::Object exports) {}

}  // namespace prunas::napi
