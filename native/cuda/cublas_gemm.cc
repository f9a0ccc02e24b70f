// Linear layers and pointwise (1×1, stride 1) convolutions through cuBLAS,
// forward and backward. Our tensors are row-major; cuBLAS is column-major,
// so each product is written for the transposed matrices (a row-major
// [r][c] array is a column-major c×r matrix):
//   y[rows][out]  = x·Wᵀ   →  Yᶜ (out×rows) = op_T(Wᶜ (in×out)) · Xᶜ (in×rows)
//   dx[rows][in]  = dy·W   →  dXᶜ (in×rows) = Wᶜ (in×out) · dYᶜ (out×rows)
//   dW[out][in]   = dyᵀ·x  →  dWᶜ (in×out) = Xᶜ (in×rows) · op_T(dYᶜ (out×rows))
// The bias is added and reduced by our own kernels (deterministic).
// Compute type: strict float32, or TF32 tensor cores when asked.
// Built only when cuBLAS (and cuDNN) are found.
#include <cublas_v2.h>

#include <climits>
#include <map>
#include <mutex>
#include <string>

#include "cuda/check.h"
#include "cuda/kernels.h"
#include "cuda/library_kernels.h"

namespace prunas::cuda {

namespace {

void check_cublas(cublasStatus_t status, const char* call, const char* file, int line) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw_error(std::string(call) + " failed: " + cublasGetStatusString(status) + " at " + file + ":" +
                std::to_string(line));
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
  if (h.handle == nullptr) {
    PRUNAS_CUBLAS_CHECK(cublasCreate(&h.handle));
    h.workspace = ctx.allocator().allocate(kWorkspaceBytes);
  }
  PRUNAS_CUBLAS_CHECK(cublasSetStream(h.handle, ctx.stream()));
  PRUNAS_CUBLAS_CHECK(cublasSetWorkspace(h.handle, h.workspace, kWorkspaceBytes));
  return h.handle;
}

void check_dims(int64_t rows, int64_t in, int64_t out) {
  check_range("linear rows", rows, 1, INT_MAX);
  check_range("linear in", in, 1, INT_MAX);
  check_range("linear out", out, 1, INT_MAX);
}

// C (m×n, ldc) = op(A)·op(B), column-major, float32 storage.
void gemm(DeviceContext& ctx, cublasOperation_t ta, cublasOperation_t tb, int64_t m, int64_t n, int64_t k,
          const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc, bool tf32) {
  const float one = 1.0f, zero = 0.0f;
  PRUNAS_CUBLAS_CHECK(cublasGemmEx(handle_for(ctx), ta, tb, static_cast<int>(m), static_cast<int>(n),
                                   static_cast<int>(k), &one, a, CUDA_R_32F, static_cast<int>(lda), b, CUDA_R_32F,
                                   static_cast<int>(ldb), &zero, c, CUDA_R_32F, static_cast<int>(ldc),
                                   tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
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

}  // namespace prunas::cuda
