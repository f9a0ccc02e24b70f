// AVX2+FMA GEMM pieces. The 6×16 micro-kernel keeps 12 ymm accumulators and
// does one rank-1 update per k: two B vectors, six broadcasts of A, twelve
// FMAs; enough independent chains to cover FMA latency on both ports.
#include <immintrin.h>

#include "cpu/gemm_kernel.h"

namespace prunas::cpu::gemm_detail {

namespace {
void micro_kernel_half_width(int64_t kc, const ARows& a, const float* b, int64_t b_step, const CTile& t);
void transpose8(__m256* r);
}  // namespace

void micro_kernel_avx2(int64_t kc, const ARows& a, const float* b, int64_t b_step, const CTile& t) {
  if (t.nr <= NR / 2) return micro_kernel_half_width(kc, a, b, b_step, t);
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
    b += b_step;
  }
  const __m256 acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  if (t.mr == MR && t.nr == NR) {
    const __m256 alpha = _mm256_set1_ps(t.alpha), beta = _mm256_set1_ps(t.beta);
    for (int r = 0; r < MR; ++r) {
      float* row = t.c + r * t.ldc;
      __m256 y0 = _mm256_mul_ps(alpha, acc[r][0]), y1 = _mm256_mul_ps(alpha, acc[r][1]);
      if (t.beta != 0.0f) {
        y0 = _mm256_fmadd_ps(beta, _mm256_loadu_ps(row), y0);
        y1 = _mm256_fmadd_ps(beta, _mm256_loadu_ps(row + 8), y1);
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
  store_tile(tile, t);
}

// Each half of the panel is transposed 8×8 at a time from 8 rows of B.
void pack_b_trans_avx2(float* dst, const float* b, int64_t ldb, int64_t kc, int64_t cols) {
  for (int64_t half = 0; half < NR; half += 8) {
    const float* rows[8];
    for (int64_t j = 0; j < 8; ++j) rows[j] = half + j < cols ? b + (half + j) * ldb : nullptr;
    int64_t p = 0;
    for (; p + 8 <= kc; p += 8) {
      __m256 r[8];
      for (int j = 0; j < 8; ++j) r[j] = rows[j] ? _mm256_loadu_ps(rows[j] + p) : _mm256_setzero_ps();
      transpose8(r);
      for (int q = 0; q < 8; ++q) _mm256_storeu_ps(dst + (p + q) * NR + half, r[q]);
    }
    for (; p < kc; ++p)
      for (int64_t j = 0; j < 8; ++j) dst[p * NR + half + j] = rows[j] ? rows[j][p] : 0.0f;
  }
}

namespace {

// Tiles at most 8 columns wide (the edge of an n that is not a multiple of
// 16) take half the multiply-adds of a full tile.
void micro_kernel_half_width(int64_t kc, const ARows& a, const float* b, int64_t b_step, const CTile& t) {
  const float *a0 = a.row[0], *a1 = a.row[1], *a2 = a.row[2], *a3 = a.row[3], *a4 = a.row[4], *a5 = a.row[5];
  const int64_t step = a.step;
  __m256 c0 = _mm256_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
  for (int64_t p = 0; p < kc; ++p) {
    const __m256 b0 = _mm256_loadu_ps(b);
    c0 = _mm256_fmadd_ps(_mm256_broadcast_ss(a0), b0, c0);
    c1 = _mm256_fmadd_ps(_mm256_broadcast_ss(a1), b0, c1);
    c2 = _mm256_fmadd_ps(_mm256_broadcast_ss(a2), b0, c2);
    c3 = _mm256_fmadd_ps(_mm256_broadcast_ss(a3), b0, c3);
    c4 = _mm256_fmadd_ps(_mm256_broadcast_ss(a4), b0, c4);
    c5 = _mm256_fmadd_ps(_mm256_broadcast_ss(a5), b0, c5);
    a0 += step, a1 += step, a2 += step, a3 += step, a4 += step, a5 += step;
    b += b_step;
  }
  alignas(32) float tile[MR * NR];
  const __m256 acc[MR] = {c0, c1, c2, c3, c4, c5};
  for (int r = 0; r < MR; ++r) _mm256_store_ps(tile + r * NR, acc[r]);
  store_tile(tile, t);
}

// r[q][j] becomes r[j][q].
void transpose8(__m256* r) {
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
  r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
  r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
  r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
  r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
  r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
  r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
  r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

}  // namespace

}  // namespace prunas::cpu::gemm_detail
