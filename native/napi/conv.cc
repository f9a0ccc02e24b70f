#include <utility>

#include "cpu/conv2d.h"
#include "cpu/depthwise.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

constexpr int64_t kMaxDim = 1 << 24;

// Reads a shape field, naming it as the caller wrote it.
template <typename Check>
auto checked_shape(Args& a, Check check) {
  try {
    return check();
  } catch (const Error& e) {
    throw Error(e.kind(), a.kernel() + ": " + e.what());
  }
}

cpu::Conv2dShape conv_shape(Args& a) {
  cpu::Conv2dShape s{};
  s.n = a.integer("n", 1, kMaxDim);
  s.h = a.integer("h", 1, kMaxDim);
  s.w = a.integer("w", 1, kMaxDim);
  s.cin = a.integer("cin", 1, kMaxDim);
  s.cout = a.integer("cout", 1, kMaxDim);
  s.kh = a.integer("kh", 1, 7);
  s.kw = a.integer("kw", 1, 7);
  s.sh = a.integer("strideH", 1, 2);
  s.sw = a.integer("strideW", 1, 2);
  s.ph = a.integer("padH", 0, 6);
  s.pw = a.integer("padW", 0, 6);
  s.groups = a.integer("groups", 1, kMaxDim, 1);
  return checked_shape(a, [&] {
    cpu::check_conv2d_shape(s);
    return s;
  });
}

cpu::DepthwiseShape depthwise_shape(Args& a) {
  cpu::DepthwiseShape s{};
  s.n = a.integer("n", 1, kMaxDim);
  s.h = a.integer("h", 1, kMaxDim);
  s.w = a.integer("w", 1, kMaxDim);
  s.c = a.integer("c", 1, kMaxDim);
  s.kh = a.integer("kh", 1, 7);
  s.kw = a.integer("kw", 1, 7);
  s.sh = a.integer("strideH", 1, 2);
  s.sw = a.integer("strideW", 1, 2);
  s.ph = a.integer("padH", 0, 6);
  s.pw = a.integer("padW", 0, 6);
  return checked_shape(a, [&] {
    cpu::check_depthwise_shape(s);
    return s;
  });
}

void check_forward_outputs(const Args& a, Span<float> y, Span<float> x, Span<float> w, Span<float> bias) {
  check_disjoint(a, "y", y, "x", x);
  check_disjoint(a, "y", y, "weight", w);
  check_disjoint(a, "y", y, "bias", bias);
}

void check_backward_outputs(const Args& a, Span<float> dx, Span<float> dw, Span<float> db, Span<float> x,
                            Span<float> w, Span<float> dy) {
  const std::pair<const char*, Span<float>> outputs[] = {{"dx", dx}, {"dw", dw}, {"db", db}};
  for (const auto& [name, span] : outputs) {
    check_disjoint(a, name, span, "x", x);
    check_disjoint(a, name, span, "weight", w);
    check_disjoint(a, name, span, "dy", dy);
  }
  check_disjoint(a, "dx", dx, "dw", dw);
  check_disjoint(a, "dx", dx, "db", db);
  check_disjoint(a, "dw", dw, "db", db);
}

// {shape..., x, weight, bias?, y}
KernelJob parse_conv2d_forward(Args& a) {
  const auto s = conv_shape(a);
  auto x = a.f32("x", s.n * s.h * s.w * s.cin);
  auto w = a.f32("weight", s.cout * s.kh * s.kw * (s.cin / s.groups));
  auto bias = a.f32_optional("bias", s.cout);
  auto y = a.f32("y", s.n * s.ho() * s.wo() * s.cout);
  check_forward_outputs(a, y, x, w, bias);
  return [=] {
    cpu::conv2d_forward(y.data, x.data, w.data, bias.data, s);
    return kNoResult;
  };
}

// {shape..., x, weight, dy, dx?, dw?, db?}
KernelJob parse_conv2d_backward(Args& a) {
  const auto s = conv_shape(a);
  auto x = a.f32("x", s.n * s.h * s.w * s.cin);
  auto w = a.f32("weight", s.cout * s.kh * s.kw * (s.cin / s.groups));
  auto dy = a.f32("dy", s.n * s.ho() * s.wo() * s.cout);
  auto dx = a.f32_optional("dx", x.length);
  auto dw = a.f32_optional("dw", w.length);
  auto db = a.f32_optional("db", s.cout);
  check_backward_outputs(a, dx, dw, db, x, w, dy);
  return [=] {
    cpu::conv2d_backward(dx.data, dw.data, db.data, dy.data, x.data, w.data, s);
    return kNoResult;
  };
}

KernelJob parse_depthwise_forward(Args& a) {
  const auto s = depthwise_shape(a);
  auto x = a.f32("x", s.n * s.h * s.w * s.c);
  auto w = a.f32("weight", s.kh * s.kw * s.c);
  auto bias = a.f32_optional("bias", s.c);
  auto y = a.f32("y", s.n * s.ho() * s.wo() * s.c);
  check_forward_outputs(a, y, x, w, bias);
  return [=] {
    cpu::depthwise_forward(y.data, x.data, w.data, bias.data, s);
    return kNoResult;
  };
}

KernelJob parse_depthwise_backward(Args& a) {
  const auto s = depthwise_shape(a);
  auto x = a.f32("x", s.n * s.h * s.w * s.c);
  auto w = a.f32("weight", s.kh * s.kw * s.c);
  auto dy = a.f32("dy", s.n * s.ho() * s.wo() * s.c);
  auto dx = a.f32_optional("dx", x.length);
  auto dw = a.f32_optional("dw", w.length);
  auto db = a.f32_optional("db", s.c);
  check_backward_outputs(a, dx, dw, db, x, w, dy);
  return [=] {
    cpu::depthwise_backward(dx.data, dw.data, db.data, dy.data, x.data, w.data, s);
    return kNoResult;
  };
}

}  // namespace

void init_conv(Napi::Env env, Napi::Object exports) {
  export_kernel(env, exports, "conv2dForward", parse_conv2d_forward);
  export_kernel(env, exports, "conv2dBackward", parse_conv2d_backward);
  export_kernel(env, exports, "depthwiseForward", parse_depthwise_forward);
  export_kernel(env, exports, "depthwiseBackward", parse_depthwise_backward);
}

}  // namespace prunas::napi
