// The GEMM micro-kernel contract shared by gemm.cc (driver, portable kernel)
// and gemm_avx2.cc. A micro-kernel computes one MR×NR tile of C from
// rows of A — element (r, p) at a.row[r][p·a.step], either a packed panel
// (row[r] = panel + r, step MR) or A itself (row[r] = A + r·lda, step 1) —
// and a packed B panel b[p·NR + c], for p < kc; then
// C = alpha·acc + beta·C over the valid mr×nr corner (beta == 0: C not read).
#pragma once
#include <cstdint>

namespace prunas::cpu::gemm_detail {

constexpr int64_t MR = 6;
constexpr int64_t NR = 16;

struct ARows {
  const float* row[MR];  // rows past mr repeat the last valid one (computed, never stored)
  int64_t step;
};

using MicroKernel = void (*)(int64_t kc, const ARows& a, const float* b, float* c, int64_t ldc, float alpha, float beta,
                             int64_t mr, int64_t nr);

void micro_kernel_portable(int64_t kc, const ARows& a, const float* b, float* c, int64_t ldc, float alpha, float beta,
                           int64_t mr, int64_t nr);
void micro_kernel_avx2(int64_t kc, const ARows& a, const float* b, float* c, int64_t ldc, float alpha, float beta,
                       int64_t mr, int64_t nr);

// Writes an MR×NR accumulator tile into C (shared by both kernels' edge paths).
inline void store_tile(const float* acc, float* c, int64_t ldc, float alpha, float beta, int64_t mr, int64_t nr) {
  for (int64_t r = 0; r < mr; ++r)
    for (int64_t j = 0; j < nr; ++j) {
      float* out = c + r * ldc + j;
      *out = beta == 0.0f ? alpha * acc[r * NR + j] : alpha * acc[r * NR + j] + beta * *out;
    }
}

}  // namespace prunas::cpu::gemm_detail
