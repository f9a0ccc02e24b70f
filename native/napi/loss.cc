#include <string>

#include "cpu/loss.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

constexpr int64_t kMaxRows = int64_t{1} << 31;
constexpr int64_t kMaxClasses = int64_t{1} << 24;

// {n, k, logits, labels, smoothing?, dlogits?, correct?: Int32Array(1)} → mean loss.
// Labels outside [0, k) are a RangeError naming the first one, found by the
// job itself (the async variant rejects).
KernelJob parse_softmax_cross_entropy(Args& a) {
  const int64_t n = a.integer("n", 1, kMaxRows), k = a.integer("k", 1, kMaxClasses);
  auto logits = a.f32("logits", n * k);
  auto labels = a.i32("labels", n);
  const double smoothing = a.number("smoothing", 0.0, 1.0, 0.0);
  auto dlogits = a.f32_optional("dlogits", n * k);
  Span<int32_t> correct{};
  if (!a.is_absent("correct")) correct = a.i32("correct", 1);
  check_disjoint(a, {array("logits", logits, false), array("labels", labels, false), array("dlogits", dlogits, true),
                     array("correct", correct, true)});
  return [=, kernel = a.kernel()] {
    int64_t hits = 0;
    double loss = 0.0;
    try {
      loss = cpu::softmax_cross_entropy(dlogits.data, &hits, logits.data, labels.data, n, k, smoothing);
    } catch (const Error& e) {
      throw Error(e.kind(), kernel + ": " + e.what());
    }
    if (correct.data) correct.data[0] = static_cast<int32_t>(hits);
    return loss;
  };
}

// {a, b, da?} → mean((a − b)²); da = 2(a − b)/n
KernelJob parse_mse(Args& a) {
  auto x = a.f32("a", -1);
  if (x.length == 0) throw_range(a.where("a") + " must not be empty");
  auto y = a.f32("b", x.length);
  auto dx = a.f32_optional("da", x.length);
  check_disjoint(a, {array("a", x, false), array("b", y, false), array("da", dx, true)});
  return [=] { return cpu::mse_loss(dx.data, x.data, y.data, x.length); };
}

}  // namespace

void init_loss(Napi::Env env, Napi::Object exports) {
  export_kernel(env, exports, "softmaxCrossEntropy", parse_softmax_cross_entropy);
  export_kernel(env, exports, "mseLoss", parse_mse);
}

}  // namespace prunas::napi
