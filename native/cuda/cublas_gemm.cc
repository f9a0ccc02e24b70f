// Linear layers and pointwise (1×1, stride 1) convolutions through cuBLAS,
// forward and backward. Our tensors are row-major; cuBLAS is column-major,
// so each product is written for the transposed matrices (a row-major
// [r][c] array is a column-major c×r matrix):
//   y[rows][out]  = x·Wᵀ   →  Yᶜ (out×rows) = op_T(Wᶜ (in×out)) · Xᶜ (in×rows)
//   dx[rows][in]  = dy·W   →  dXᶜ (in×rows) = Wᶜ (in×out) · dYᶜ (out×rows)
//   dW[out][in]   = dyᵀ·x  →  dWᶜ (in×out) = Xᶜ (in×rows) · op_T(dYᶜ (out×rows))
// The bias is added and reduced by our own kernels (deterministic).
// Compute type: strict float32, or TF32 tensor cores when asked.
//
// bf16 (bf16_kernels.h): A and B in bf16 with float32 compute (bf16 tensor
// cores): y and dx are written in bf16 from a bf16 copy of the float32
// weights; dW takes bf16 x and dy and is accumulated and written in float32
// (cuBLAS's 16BF·16BF → 32F combination), so the weight gradient is not
// rounded to bf16.
// Built only when cuBLAS (and cuDNN) are found.
#include <cublas_v2.h>

#include <climits>
#include <map>
#include <mutex>
#include <string>

#include "cuda/bf16_kernels.h"
#include "cuda/check.h"
#include "cuda/kernels.h"
#include "cuda/library_kernels.h"

namespace prunas::cuda {

namespace {

void check_cublas(cublasStatus_t status, const char* call, const char* file, int line) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw_error(failed_call(call, file, line) + cublasGetStatusString(status));
}
#define PRUNAS_CUBLAS_CHECK(call) check_cublas((call), #call, __FILE__, __LINE__)

// cuBLAS's own workspace, given from our allocator once per device so that
// cuBLAS allocates nothing during a step and its results stay reproducible.
constexpr size_t kWorkspaceBytes = size_t{32} << 20;

struct Handle {
  cublasHandle_t handle = nullptr;
  void* workspace = nullptr;
};

cublasHandle_t handle_for(DeviceContext& ctx) {
  static std::mutex mutex;
  static auto* handles = new std::map<int, Handle>();  // never destroyed
  std::lock_guard<std::mutex> lock(mutex);
  Handle& h = (*handles)[ctx.device()];
  // the workspace first: a handle is only kept once it has one
  if (h.workspace == nullptr) h.workspace = ctx.allocator().allocate(kWorkspaceBytes);
  if (h.handle == nullptr) {
    cublasHandle_t created = nullptr;
    PRUNAS_CUBLAS_CHECK(cublasCreate(&created));
    // bf16 outputs: split-K partial sums are reduced in float32, not in the
    // output type, so y and dx are rounded to bf16 once
    const cublasStatus_t status = cublasSetMathMode(
        created, static_cast<cublasMath_t>(CUBLAS_DEFAULT_MATH | CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION));
    if (status != CUBLAS_STATUS_SUCCESS) cublasDestroy(created);
    PRUNAS_CUBLAS_CHECK(status);
    h.handle = created;
  }
  // in this order: setting the stream resets the workspace to cuBLAS's pool
  PRUNAS_CUBLAS_CHECK(cublasSetStream(h.handle, ctx.stream()));
  PRUNAS_CUBLAS_CHECK(cublasSetWorkspace(h.handle, h.workspace, kWorkspaceBytes));
  return h.handle;
}

void check_dims(int64_t rows, int64_t in, int64_t out) {
  check_range("linear rows", rows, 1, INT_MAX);
  check_range("linear in", in, 1, INT_MAX);
  check_range("linear out", out, 1, INT_MAX);
}

// C (m×n, ldc) = op(A)·op(B), column-major; A and B stored as `inputs`, C
// as `output`, float32 scale factors.
void gemm_as(DeviceContext& ctx, cublasOperation_t ta, cublasOperation_t tb, int64_t m, int64_t n, int64_t k,
             cudaDataType_t inputs, const void* a, int64_t lda, const void* b, int64_t ldb, cudaDataType_t output,
             void* c, int64_t ldc, cublasComputeType_t compute) {
  const float one = 1.0f, zero = 0.0f;
  PRUNAS_CUBLAS_CHECK(cublasGemmEx(handle_for(ctx), ta, tb, static_cast<int>(m), static_cast<int>(n),
                                   static_cast<int>(k), &one, a, inputs, static_cast<int>(lda), b, inputs,
                                   static_cast<int>(ldb), &zero, c, output, static_cast<int>(ldc), compute,
                                   CUBLAS_GEMM_DEFAULT));
}

// float32 storage: strict float32 or TF32 math.
void gemm(DeviceContext& ctx, cublasOperation_t ta, cublasOperation_t tb, int64_t m, int64_t n, int64_t k,
          const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc, bool tf32) {
  gemm_as(ctx, ta, tb, m, n, k, CUDA_R_32F, a, lda, b, ldb, CUDA_R_32F, c, ldc,
          tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F);
}

// bf16 A and B, float32 compute; C in bf16 or float32.
void gemm(DeviceContext& ctx, cublasOperation_t ta, cublasOperation_t tb, int64_t m, int64_t n, int64_t k,
          const bf16* a, int64_t lda, const bf16* b, int64_t ldb, bf16* c, int64_t ldc) {
  gemm_as(ctx, ta, tb, m, n, k, CUDA_R_16BF, a, lda, b, ldb, CUDA_R_16BF, c, ldc, CUBLAS_COMPUTE_32F);
}
void gemm(DeviceContext& ctx, cublasOperation_t ta, cublasOperation_t tb, int64_t m, int64_t n, int64_t k,
          const bf16* a, int64_t lda, const bf16* b, int64_t ldb, float* c, int64_t ldc) {
  gemm_as(ctx, ta, tb, m, n, k, CUDA_R_16BF, a, lda, b, ldb, CUDA_R_32F, c, ldc, CUBLAS_COMPUTE_32F);
}

// The weights [out][in] rounded to bf16 for one call.
DeviceArray<bf16> rounded_weights(DeviceContext& ctx, const float* w, int64_t in, int64_t out) {
  DeviceArray<bf16> w16(ctx, in * out);
  to_bf16(ctx, w16.data(), w, w16.count());
  return w16;
}

}  // namespace

void linear_forward(DeviceContext& ctx, float* y, const float* x, const float* w, const float* bias, int64_t rows,
                    int64_t in, int64_t out, bool tf32) {
  check_dims(rows, in, out);
  gemm(ctx, CUBLAS_OP_T, CUBLAS_OP_N, out, rows, in, w, in, x, in, y, out, tf32);
  if (bias) add_bias(ctx, y, bias, rows, out);
}

void linear_backward(DeviceContext& ctx, float* dx, float* dw, float* db, const float* dy, const float* x,
                     const float* w, int64_t rows, int64_t in, int64_t out, bool tf32) {
  check_dims(rows, in, out);
  if (dx) gemm(ctx, CUBLAS_OP_N, CUBLAS_OP_N, in, rows, out, w, in, dy, out, dx, in, tf32);
  if (dw) gemm(ctx, CUBLAS_OP_N, CUBLAS_OP_T, in, out, rows, x, in, dy, out, dw, in, tf32);
  if (db) column_sums(ctx, db, dy, rows, out);
}

void linear_forward(DeviceContext& ctx, bf16* y, const bf16* x, const float* w, const float* bias, int64_t rows,
                    int64_t in, int64_t out) {
  check_dims(rows, in, out);
  const DeviceArray<bf16> w16 = rounded_weights(ctx, w, in, out);
  gemm(ctx, CUBLAS_OP_T, CUBLAS_OP_N, out, rows, in, w16.data(), in, x, in, y, out);
  if (bias) add_bias(ctx, y, bias, rows, out);
}

void linear_backward(DeviceContext& ctx, bf16* dx, float* dw, float* db, const bf16* dy, const bf16* x,
                     const float* w, int64_t rows, int64_t in, int64_t out) {
  check_dims(rows, in, out);
  if (dx) {
    const DeviceArray<bf16> w16 = rounded_weights(ctx, w, in, out);
    gemm(ctx, CUBLAS_OP_N, CUBLAS_OP_N, in, rows, out, w16.data(), in, dy, out, dx, in);
  }
  if (dw) gemm(ctx, CUBLAS_OP_N, CUBLAS_OP_T, in, out, rows, x, in, dy, out, dw, in);
  if (db) column_sums(ctx, db, dy, rows, out);
}

}  // namespace prunas::cuda
