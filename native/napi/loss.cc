#include "cpu/loss.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

constexpr int64_t kMaxDim = 1 << 30;

// {n, k, logits, labels, smoothing, dlogits?, correct?: Int32Array(1)} → mean loss
KernelJob parse_softmax_cross_entropy(Args& a) {
  const int64_t n = a.integer("n", 1, kMaxDim), k = a.integer("k", 1, 1 << 24);
  auto logits = a.f32("logits", n * k);
  auto labels = a.i32("labels", n);
  const float smoothing = static_cast<float>(a.number("smoothing", 0.0, 1.0, 0.0));
  auto dlogits = a.f32_optional("dlogits", n * k);
  Span<int32_t> correct{};
  if (!a.is_absent("correct")) correct = a.i32("correct", 1);
  return [=] {
    int64_t hits = 0;
    const double loss =
        cpu::softmax_cross_entropy(dlogits.data, &hits, logits.data, labels.data, n, k, smoothing);
    if (correct.data) correct.data[0] = static_cast<int32_t>(hits);
    return loss;
  };
}

// {a, b, da?} → mean((a − b)²)
KernelJob parse_mse(Args& a) {
  auto x = a.f32("a", -1);
  auto y = a.f32("b", x.length);
  auto dx = a.f32_optional("da", x.length);
  if (x.length == 0) throw_range(a.where("a") + " must not be empty");
  return [=] { return cpu::mse_loss(dx.data, x.data, y.data, x.length); };
}

}  // namespace

void init_loss(Napi::Env env, Napi::Object exports) {
  export_kernel(env, exports, "softmaxCrossEntropy", parse_softmax_cross_entropy);
  export_kernel(env, exports, "mseLoss", parse_mse);
}

}  // namespace prunas::napi
