#include "cpu/activation.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

using Forward = void (*)(float*, const float*, int64_t);
using Backward = void (*)(float*, const float*, const float*, int64_t);

// {x, y}: y = f(x)
template <Forward F>
KernelJob parse_forward(Args& a) {
  auto x = a.f32("x", -1);
  auto y = a.f32("y", x.length);
  return [=] {
    F(y.data, x.data, x.length);
    return kNoResult;
  };
}

// {x, dy, dx}: dx = f'(x) * dy
template <Backward B>
KernelJob parse_backward(Args& a) {
  auto x = a.f32("x", -1);
  auto dy = a.f32("dy", x.length);
  auto dx = a.f32("dx", x.length);
  return [=] {
    B(dx.data, dy.data, x.data, x.length);
    return kNoResult;
  };
}

KernelJob parse_add(Args& a) {
  auto x = a.f32("a", -1);
  auto b = a.f32("b", x.length);
  auto y = a.f32("y", x.length);
  return [=] {
    cpu::add_forward(y.data, x.data, b.data, x.length);
    return kNoResult;
  };
}

}  // namespace

void init_activation(Napi::Env env, Napi::Object exports) {
  export_kernel(env, exports, "reluForward", parse_forward<cpu::relu_forward>);
  export_kernel(env, exports, "reluBackward", parse_backward<cpu::relu_backward>);
  export_kernel(env, exports, "relu6Forward", parse_forward<cpu::relu6_forward>);
  export_kernel(env, exports, "relu6Backward", parse_backward<cpu::relu6_backward>);
  export_kernel(env, exports, "hswishForward", parse_forward<cpu::hswish_forward>);
  export_kernel(env, exports, "hswishBackward", parse_backward<cpu::hswish_backward>);
  export_kernel(env, exports, "addForward", parse_add);
}

}  // namespace prunas::napi
