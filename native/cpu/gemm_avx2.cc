// The 6×16 AVX2+FMA micro-kernel: 12 ymm accumulators, two B vectors and one
// broadcast of A per step, one rank-1 update per packed k.
#include <immintrin.h>

#include "cpu/gemm_kernel.h"

namespace prunas::cpu::gemm_detail {

void micro_kernel_avx2(int64_t kc, const ARows& a, const float* b, float* c, int64_t ldc, float alpha, float beta,
                       int64_t mr, int64_t nr) {
  const float *a0 = a.row[0], *a1 = a.row[1], *a2 = a.row[2], *a3 = a.row[3], *a4 = a.row[4], *a5 = a.row[5];
  const int64_t step = a.step;
  // Named accumulators: an array of __m256 makes GCC spill them every step.
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int64_t p = 0; p < kc; ++p) {
    const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
    __m256 ar = _mm256_broadcast_ss(a0);
    c00 = _mm256_fmadd_ps(ar, b0, c00);
    c01 = _mm256_fmadd_ps(ar, b1, c01);
    ar = _mm256_broadcast_ss(a1);
    c10 = _mm256_fmadd_ps(ar, b0, c10);
    c11 = _mm256_fmadd_ps(ar, b1, c11);
    ar = _mm256_broadcast_ss(a2);
    c20 = _mm256_fmadd_ps(ar, b0, c20);
    c21 = _mm256_fmadd_ps(ar, b1, c21);
    ar = _mm256_broadcast_ss(a3);
    c30 = _mm256_fmadd_ps(ar, b0, c30);
    c31 = _mm256_fmadd_ps(ar, b1, c31);
    ar = _mm256_broadcast_ss(a4);
    c40 = _mm256_fmadd_ps(ar, b0, c40);
    c41 = _mm256_fmadd_ps(ar, b1, c41);
    ar = _mm256_broadcast_ss(a5);
    c50 = _mm256_fmadd_ps(ar, b0, c50);
    c51 = _mm256_fmadd_ps(ar, b1, c51);
    a0 += step, a1 += step, a2 += step, a3 += step, a4 += step, a5 += step;
    b += NR;
  }
  const __m256 acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  if (mr == MR && nr == NR) {
    const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    for (int r = 0; r < MR; ++r) {
      float* row = c + r * ldc;
      __m256 y0 = _mm256_mul_ps(va, acc[r][0]), y1 = _mm256_mul_ps(va, acc[r][1]);
      if (beta != 0.0f) {
        y0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row), y0);
        y1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row + 8), y1);
      }
      _mm256_storeu_ps(row, y0);
      _mm256_storeu_ps(row + 8, y1);
    }
    return;
  }
  alignas(32) float tile[MR * NR];
  for (int r = 0; r < MR; ++r) {
    _mm256_store_ps(tile + r * NR, acc[r][0]);
    _mm256_store_ps(tile + r * NR + 8, acc[r][1]);
  }
  store_tile(tile, c, ldc, alpha, beta, mr, nr);
}

}  // namespace prunas::cpu::gemm_detail
