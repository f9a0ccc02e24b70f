#include <string>
#include <utility>

#include "cpu/fma_peak.h"
#include "cpu/gemm.h"
#include "cpu/linear.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

constexpr int64_t kMaxDim = 1 << 30;

KernelJob parse_sgemm(Args& a);
KernelJob parse_linear_forward(Args& a);
KernelJob parse_linear_backward(Args& a);
KernelJob parse_pointwise_forward(Args& a);
KernelJob parse_pointwise_backward(Args& a);
KernelJob parse_fma_peak(Args& a);

}  // namespace

void init_gemm(Napi::Env env, Napi::Object exports) {
  export_kernel(env, exports, "sgemm", parse_sgemm);
  export_kernel(env, exports, "linearForward", parse_linear_forward);
  export_kernel(env, exports, "linearBackward", parse_linear_backward);
  export_kernel(env, exports, "pointwiseForward", parse_pointwise_forward);
  export_kernel(env, exports, "pointwiseBackward", parse_pointwise_backward);
  export_kernel(env, exports, "fmaPeakGflops", parse_fma_peak);
}

namespace {

// {transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc}: C = α·op(A)·op(B) + β·C
KernelJob parse_sgemm(Args& a) {
  const bool ta = a.boolean("transA", false), tb = a.boolean("transB", false);
  const int64_t m = a.integer("m", 1, kMaxDim), n = a.integer("n", 1, kMaxDim), k = a.integer("k", 1, kMaxDim);
  const int64_t lda = a.integer("lda", ta ? m : k, kMaxDim, ta ? m : k);
  const int64_t ldb = a.integer("ldb", tb ? k : n, kMaxDim, tb ? k : n);
  const int64_t ldc = a.integer("ldc", n, kMaxDim, n);
  const float alpha = static_cast<float>(a.number("alpha", -1e30, 1e30, 1.0));
  const float beta = static_cast<float>(a.number("beta", -1e30, 1e30, 0.0));
  auto A = a.f32("a", (ta ? k - 1 : m - 1) * lda + (ta ? m : k));
  auto B = a.f32("b", (tb ? n - 1 : k - 1) * ldb + (tb ? k : n));
  auto C = a.f32("c", (m - 1) * ldc + n);
  check_disjoint(a, "c", C, "a", A);
  check_disjoint(a, "c", C, "b", B);
  return [=] {
    cpu::sgemm(ta, tb, m, n, k, alpha, A.data, lda, B.data, ldb, beta, C.data, ldc);
    return kNoResult;
  };
}

// {x, weight, bias?, y} of y[rows, out] = x[rows, in]·weightᵀ + bias
KernelJob linear_forward_job(Args& a, int64_t rows, int64_t in, int64_t out) {
  auto x = a.f32("x", rows * in);
  auto w = a.f32("weight", out * in);
  auto bias = a.f32_optional("bias", out);
  auto y = a.f32("y", rows * out);
  check_disjoint(a, "y", y, "x", x);
  check_disjoint(a, "y", y, "weight", w);
  check_disjoint(a, "y", y, "bias", bias);
  return [=] {
    cpu::linear_forward(y.data, x.data, w.data, bias.data, rows, in, out);
    return kNoResult;
  };
}

// {x, weight, dy, dx?, dw?, db?}
KernelJob linear_backward_job(Args& a, int64_t rows, int64_t in, int64_t out) {
  auto x = a.f32("x", rows * in);
  auto w = a.f32("weight", out * in);
  auto dy = a.f32("dy", rows * out);
  auto dx = a.f32_optional("dx", rows * in);
  auto dw = a.f32_optional("dw", out * in);
  auto db = a.f32_optional("db", out);
  const std::pair<const char*, Span<float>> outputs[] = {{"dx", dx}, {"dw", dw}, {"db", db}};
  for (const auto& [name, span] : outputs) {
    check_disjoint(a, name, span, "x", x);
    check_disjoint(a, name, span, "weight", w);
    check_disjoint(a, name, span, "dy", dy);
  }
  check_disjoint(a, "dx", dx, "dw", dw);
  check_disjoint(a, "dx", dx, "db", db);
  check_disjoint(a, "dw", dw, "db", db);
  return [=] {
    cpu::linear_backward(dx.data, dw.data, db.data, dy.data, x.data, w.data, rows, in, out);
    return kNoResult;
  };
}

// {rows, in, out, x, weight, bias?, y}
KernelJob parse_linear_forward(Args& a) {
  const int64_t rows = a.integer("rows", 1, kMaxDim), in = a.integer("in", 1, kMaxDim),
                out = a.integer("out", 1, kMaxDim);
  return linear_forward_job(a, rows, in, out);
}

// {rows, in, out, x, weight, dy, dx?, dw?, db?}
KernelJob parse_linear_backward(Args& a) {
  const int64_t rows = a.integer("rows", 1, kMaxDim), in = a.integer("in", 1, kMaxDim),
                out = a.integer("out", 1, kMaxDim);
  return linear_backward_job(a, rows, in, out);
}

// n·h·w of an NHWC pointwise convolution: the rows of its GEMM.
int64_t pixel_rows(Args& a) {
  const int64_t n = a.integer("n", 1, kMaxDim), h = a.integer("h", 1, kMaxDim), w = a.integer("w", 1, kMaxDim);
  if (n * h > kMaxDim / w)
    throw_range(a.kernel() + ": n·h·w = " + std::to_string(n) + "·" + std::to_string(h) + "·" + std::to_string(w) +
                " exceeds " + std::to_string(kMaxDim));
  return n * h * w;
}

// {n, h, w, cin, cout, x, weight, bias?, y}: 1×1 stride-1 convolution, NHWC, weight [cout][cin]
KernelJob parse_pointwise_forward(Args& a) {
  const int64_t rows = pixel_rows(a), cin = a.integer("cin", 1, kMaxDim), cout = a.integer("cout", 1, kMaxDim);
  return linear_forward_job(a, rows, cin, cout);
}

// {n, h, w, cin, cout, x, weight, dy, dx?, dw?, db?}
KernelJob parse_pointwise_backward(Args& a) {
  const int64_t rows = pixel_rows(a), cin = a.integer("cin", 1, kMaxDim), cout = a.integer("cout", 1, kMaxDim);
  return linear_backward_job(a, rows, cin, cout);
}

// {seconds, allThreads?}: measured FP32 FMA throughput in GFLOP/s, of one
// thread or of every pool thread at once
KernelJob parse_fma_peak(Args& a) {
  const double seconds = a.number("seconds", 0.001, 60.0, 0.2);
  const bool all_threads = a.boolean("allThreads", false);
  return [=] { return all_threads ? cpu::fma_peak_gflops_all_threads(seconds) : cpu::fma_peak_gflops(seconds); };
}

}  // namespace

}  // namespace prunas::napi
