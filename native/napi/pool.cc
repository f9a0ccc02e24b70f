#include "cpu/pool.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

constexpr int64_t kMaxDim = 1 << 30;

// {n, hw, c, x, y}
KernelJob parse_forward(Args& a) {
  const int64_t n = a.integer("n", 1, kMaxDim), hw = a.integer("hw", 1, kMaxDim), c = a.integer("c", 1, kMaxDim);
  auto x = a.f32("x", n * hw * c);
  auto y = a.f32("y", n * c);
  return [=] {
    cpu::global_avg_pool_forward(y.data, x.data, n, hw, c);
    return kNoResult;
  };
}

// {n, hw, c, dy, dx}
KernelJob parse_backward(Args& a) {
  const int64_t n = a.integer("n", 1, kMaxDim), hw = a.integer("hw", 1, kMaxDim), c = a.integer("c", 1, kMaxDim);
  auto dy = a.f32("dy", n * c);
  auto dx = a.f32("dx", n * hw * c);
  return [=] {
    cpu::global_avg_pool_backward(dx.data, dy.data, n, hw, c);
    return kNoResult;
  };
}

}  // namespace

void init_pool(Napi::Env env, Napi::Object exports) {
  export_kernel(env, exports, "globalAvgPoolForward", parse_forward);
  export_kernel(env, exports, "globalAvgPoolBackward", parse_backward);
}

}  // namespace prunas::napi
