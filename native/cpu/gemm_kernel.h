// The contract between the GEMM driver (gemm.cc) and its micro-kernels
// (portable in gemm.cc, AVX2+FMA in gemm_avx2.cc). A micro-kernel computes
// one MR×NR tile of C over kc steps of k:
//   acc[r][j] = Σ_p A(r, p) · B(p, j),  A(r, p) = a.row[r][p · a.step],
//                                       B(p, j) = b[p · b_step + j]
// so A is either a packed panel (row[r] = panel + r, step MR) or the caller's
// matrix read in place (row-major: step 1; transposed: step lda), and B is a
// packed panel (b_step NR) or rows of the caller's matrix (b_step ldb). All
// NR columns of B are read, so an in-place B must have them all.
// Then C = alpha·acc + beta·C on the valid mr×nr corner (beta == 0: C not read).
#pragma once
#include <cstdint>

namespace prunas::cpu::gemm_detail {

constexpr int64_t MR = 6;
constexpr int64_t NR = 16;

struct ARows {
  const float* row[MR];  // rows past mr repeat the last valid one (computed, never stored)
  int64_t step;
};

struct CTile {
  float* c;
  int64_t ldc;
  int64_t mr, nr;
  float alpha, beta;
};

using MicroKernel = void (*)(int64_t kc, const ARows& a, const float* b, int64_t b_step, const CTile& c);

void micro_kernel_portable(int64_t kc, const ARows& a, const float* b, int64_t b_step, const CTile& c);
void micro_kernel_avx2(int64_t kc, const ARows& a, const float* b, int64_t b_step, const CTile& c);

// Packs `cols` (<= NR) rows of a row-major matrix, kc elements each starting
// at b, as one NR-wide panel: element (p, j) at p·NR + j, columns past cols zero.
using PackBTrans = void (*)(float* dst, const float* b, int64_t ldb, int64_t kc, int64_t cols);

void pack_b_trans_portable(float* dst, const float* b, int64_t ldb, int64_t kc, int64_t cols);
void pack_b_trans_avx2(float* dst, const float* b, int64_t ldb, int64_t kc, int64_t cols);

// Writes a row-major MR×NR accumulator tile into C (the kernels' edge path).
inline void store_tile(const float* acc, const CTile& t) {
  for (int64_t r = 0; r < t.mr; ++r)
    for (int64_t j = 0; j < t.nr; ++j) {
      float* out = t.c + r * t.ldc + j;
      *out = t.beta == 0.0f ? t.alpha * acc[r * NR + j] : t.alpha * acc[r * NR + j] + t.beta * *out;
    }
}

}  // namespace prunas::cpu::gemm_detail
