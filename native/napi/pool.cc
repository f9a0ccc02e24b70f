#include <string>

#include "cpu/pool.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

constexpr int64_t kMaxDim = int64_t{1} << 31;
constexpr double kMaxElements = 1ull << 48;

struct PoolSizes {
  int64_t n, hw, c;
};

PoolSizes sizes(Args& a) {
  const PoolSizes s{a.integer("n", 1, kMaxDim), a.integer("hw", 1, kMaxDim), a.integer("c", 1, kMaxDim)};
  if (static_cast<double>(s.n) * static_cast<double>(s.hw) * static_cast<double>(s.c) > kMaxElements)
    throw_range(a.kernel() + ": n·hw·c = " + std::to_string(s.n) + "·" + std::to_string(s.hw) + "·" +
                std::to_string(s.c) + " is more than 2^48 elements");
  return s;
}

// {n, hw, c, x, y}: y[n, c] = mean over hw of x[n, hw, c]
KernelJob parse_forward(Args& a) {
  const auto s = sizes(a);
  auto x = a.f32("x", s.n * s.hw * s.c);
  auto y = a.f32("y", s.n * s.c);
  check_disjoint(a, "y", y, "x", x);
  return [=] {
    cpu::global_avg_pool_forward(y.data, x.data, s.n, s.hw, s.c);
    return kNoResult;
  };
}

// {n, hw, c, dy, dx}
KernelJob parse_backward(Args& a) {
  const auto s = sizes(a);
  auto dy = a.f32("dy", s.n * s.c);
  auto dx = a.f32("dx", s.n * s.hw * s.c);
  check_disjoint(a, "dx", dx, "dy", dy);
  return [=] {
    cpu::global_avg_pool_backward(dx.data, dy.data, s.n, s.hw, s.c);
    return kNoResult;
  };
}

}  // namespace

void init_pool(Napi::Env env, Napi::Object exports) {
  export_kernel(env, exports, "globalAvgPoolForward", parse_forward);
  export_kernel(env, exports, "globalAvgPoolBackward", parse_backward);
}

}  // namespace prunas::napi
