// SGEMM in the GotoBLAS/BLIS structure: C is computed in NC-wide column
// blocks; for each KC-deep slice, the B block is packed once into NR-wide
// panels (shared by all threads) and each thread packs its own MC×KC blocks
// of A into MR-high panels (a row-major A is read in place instead: its rows
// are already contiguous in k), then sweeps MR×NR micro-kernels over them.
// Threads own disjoint rows of C and add k-slices in a fixed order, so the
// result is deterministic. Packing reads op(A)/op(B), so every transpose
// combination runs the same kernel.
#include "cpu/gemm.h"

#include <algorithm>
#include <vector>

#include "core/cpu_features.h"
#include "core/thread_pool.h"
#include "cpu/gemm_kernel.h"

namespace prunas::cpu {

namespace gemm_detail {

void micro_kernel_portable(int64_t kc, const ARows& a, const float* b, float* c, int64_t ldc, float alpha, float beta,
                           int64_t mr, int64_t nr) {
  float acc[MR * NR] = {};
  for (int64_t p = 0; p < kc; ++p)
    for (int64_t r = 0; r < MR; ++r)
      for (int64_t j = 0; j < NR; ++j) acc[r * NR + j] += a.row[r][p * a.step] * b[p * NR + j];
  store_tile(acc, c, ldc, alpha, beta, mr, nr);
}

}  // namespace gemm_detail

namespace {

using namespace gemm_detail;

constexpr int64_t KC = 256;
constexpr int64_t MC = 96;    // 16 panels of MR; A block 96 KB stays in L2
constexpr int64_t NC = 2048;  // B block up to 2 MB, shared by the threads

struct Operand {
  const float* data;
  int64_t ld;
  bool trans;
  // Element (row, col) of op(X).
  float at(int64_t row, int64_t col) const { return trans ? data[col * ld + row] : data[row * ld + col]; }
};

// op(A)[i0 : i0+mc, p0 : p0+kc] into MR-high panels, zero-padded.
void pack_a(float* dst, const Operand& a, int64_t i0, int64_t mc, int64_t p0, int64_t kc) {
  for (int64_t ir = 0; ir < mc; ir += MR) {
    const int64_t rows = std::min(MR, mc - ir);
    for (int64_t p = 0; p < kc; ++p, dst += MR) {
      int64_t r = 0;
      for (; r < rows; ++r) dst[r] = a.at(i0 + ir + r, p0 + p);
      for (; r < MR; ++r) dst[r] = 0.0f;
    }
  }
}

// op(B)[p0 : p0+kc, j0 : j0+cols] as one NR-wide panel, zero-padded. Both
// layouts are read along their contiguous direction.
void pack_b_panel(float* dst, const Operand& b, int64_t p0, int64_t kc, int64_t j0, int64_t cols) {
  if (b.trans) {
    for (int64_t j = 0; j < NR; ++j) {
      if (j >= cols) {
        for (int64_t p = 0; p < kc; ++p) dst[p * NR + j] = 0.0f;
        continue;
      }
      const float* src = b.data + (j0 + j) * b.ld + p0;
      for (int64_t p = 0; p < kc; ++p) dst[p * NR + j] = src[p];
    }
    return;
  }
  for (int64_t p = 0; p < kc; ++p, dst += NR) {
    const float* src = b.data + (p0 + p) * b.ld + j0;
    int64_t j = 0;
    for (; j < cols; ++j) dst[j] = src[j];
    for (; j < NR; ++j) dst[j] = 0.0f;
  }
}

// C rows for m < MR (a classifier on one image, a GEMV): packing B would cost
// as much as the product, so each C element is a dot product along k.
void sgemm_few_rows(const Operand& A, const Operand& B, int64_t m, int64_t n, int64_t k, float alpha, float beta,
                    float* c, int64_t ldc) {
  parallel_for(n, [&](int64_t jb, int64_t je) {
    std::vector<float> row(static_cast<size_t>(k));
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t p = 0; p < k; ++p) row[p] = A.at(i, p);
      for (int64_t j = jb; j < je; ++j) {
        float acc[8] = {};
        int64_t p = 0;
        if (B.trans) {
          const float* col = B.data + j * B.ld;
          for (; p + 8 <= k; p += 8)
            for (int u = 0; u < 8; ++u) acc[u] += row[p + u] * col[p + u];
          for (; p < k; ++p) acc[0] += row[p] * col[p];
        } else {
          for (; p < k; ++p) acc[0] += row[p] * B.data[p * B.ld + j];
        }
        const float dot = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
        float* out = c + i * ldc + j;
        *out = beta == 0.0f ? alpha * dot : alpha * dot + beta * *out;
      }
    }
  }, 16);
}

std::vector<float>& thread_buffer() {
  thread_local std::vector<float> buffer;
  return buffer;
}

}  // namespace

void sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
           const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
    return;
  }
  const Operand A{a, lda, trans_a}, B{b, ldb, trans_b};
  if (m < MR) return sgemm_few_rows(A, B, m, n, k, alpha, beta, c, ldc);
  const MicroKernel kernel = cpu_features().avx2_fma ? micro_kernel_avx2 : micro_kernel_portable;
  const int64_t m_panels = (m + MR - 1) / MR;
  // Waking a thread costs microseconds: give each one at least ~64K multiply-adds.
  const int64_t min_panels_per_thread = std::max<int64_t>(1, (int64_t{1} << 16) / (MR * std::min(n, NC) * std::min(k, KC)));
  std::vector<float> packed_b(static_cast<size_t>(KC * ((std::min(n, NC) + NR - 1) / NR) * NR));

  for (int64_t jc = 0; jc < n; jc += NC) {
    const int64_t nc = std::min(NC, n - jc);
    const int64_t n_panels = (nc + NR - 1) / NR;
    for (int64_t pc = 0; pc < k; pc += KC) {
      const int64_t kc = std::min(KC, k - pc);
      const float beta_here = pc == 0 ? beta : 1.0f;
      parallel_for(n_panels, [&](int64_t pb, int64_t pe) {
        for (int64_t jp = pb; jp < pe; ++jp)
          pack_b_panel(packed_b.data() + jp * NR * kc, B, pc, kc, jc + jp * NR, std::min(NR, nc - jp * NR));
      }, 4);
      // Each thread takes a contiguous run of MR-row panels of C.
      parallel_for(m_panels, [&](int64_t panel_begin, int64_t panel_end) {
        std::vector<float>& packed_a = thread_buffer();
        if (trans_a) packed_a.resize(static_cast<size_t>(MC * KC));
        for (int64_t ic = panel_begin * MR; ic < std::min(m, panel_end * MR); ic += MC) {
          const int64_t mc = std::min({MC, m - ic, panel_end * MR - ic});
          if (trans_a) pack_a(packed_a.data(), A, ic, mc, pc, kc);
          for (int64_t jp = 0; jp < n_panels; ++jp) {
            const int64_t jr = jp * NR, nr = std::min(NR, nc - jr);
            for (int64_t ir = 0; ir < mc; ir += MR) {
              const int64_t mr = std::min(MR, mc - ir);
              ARows rows;
              for (int64_t r = 0; r < MR; ++r)
                rows.row[r] = trans_a ? packed_a.data() + ir * kc + r : a + (ic + ir + std::min(r, mr - 1)) * lda + pc;
              rows.step = trans_a ? MR : 1;
              kernel(kc, rows, packed_b.data() + jp * NR * kc, c + (ic + ir) * ldc + jc + jr, ldc, alpha, beta_here, mr,
                     nr);
            }
          }
        }
      }, min_panels_per_thread);
    }
  }
}

}  // namespace prunas::cpu
