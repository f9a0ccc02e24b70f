#include "cpu/fma_peak.h"
#include "cpu/gemm.h"
#include "cpu/linear.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

constexpr int64_t kMaxDim = 1 << 30;

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
  return [=] {
    cpu::sgemm(ta, tb, m, n, k, alpha, A.data, lda, B.data, ldb, beta, C.data, ldc);
    return kNoResult;
  };
}

// {rows, in, out, x, weight, bias?, y}
KernelJob parse_linear_forward(Args& a) {
  const int64_t rows = a.integer("rows", 1, kMaxDim), in = a.integer("in", 1, kMaxDim),
                out = a.integer("out", 1, kMaxDim);
  auto x = a.f32("x", rows * in);
  auto w = a.f32("weight", out * in);
  auto bias = a.f32_optional("bias", out);
  auto y = a.f32("y", rows * out);
  return [=] {
    cpu::linear_forward(y.data, x.data, w.data, bias.data, rows, in, out);
    return kNoResult;
  };
}

// {rows, in, out, x, weight, dy, dx?, dw?, db?}
KernelJob parse_linear_backward(Args& a) {
  const int64_t rows = a.integer("rows", 1, kMaxDim), in = a.integer("in", 1, kMaxDim),
                out = a.integer("out", 1, kMaxDim);
  auto x = a.f32("x", rows * in);
  auto w = a.f32("weight", out * in);
  auto dy = a.f32("dy", rows * out);
  auto dx = a.f32_optional("dx", rows * in);
  auto dw = a.f32_optional("dw", out * in);
  auto db = a.f32_optional("db", out);
  return [=] {
    cpu::linear_backward(dx.data, dw.data, db.data, dy.data, x.data, w.data, rows, in, out);
    return kNoResult;
  };
}

// {seconds}: measured single-thread FP32 FMA throughput in GFLOP/s
KernelJob parse_fma_peak(Args& a) {
  const double seconds = a.number("seconds", 0.001, 60.0, 0.2);
  return [=] { return cpu::fma_peak_gflops(seconds); };
}

}  // namespace

void init_gemm(Napi::Env env, Napi::Object exports) {
  export_kernel(env, exports, "sgemm", parse_sgemm);
  export_kernel(env, exports, "linearForward", parse_linear_forward);
  export_kernel(env, exports, "linearBackward", parse_linear_backward);
  export_kernel(env, exports, "fmaPeakGflops", parse_fma_peak);
}

}  // namespace prunas::napi
