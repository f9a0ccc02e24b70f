// SGEMM in the GotoBLAS/BLIS structure. C is cut into one block per thread
// (along m, n, or k when C is too small to share; see choose_split) and each
// thread computes its block alone: per NC-wide column block and KC-deep slice
// it packs B into NR-wide panels, per MC-high row block it packs A into
// MR-high panels, then sweeps MR×NR micro-kernels over them.
// An operand already laid out like a panel is read in place instead: a
// row-major A (its rows run along k), a transposed A when the block has few
// columns to reuse it over, and a row-major B when the block has few rows.
// Blocks depend only on the shapes and the thread count, and k-split partial
// sums are added in a fixed order, so results are deterministic.
#include "cpu/gemm.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#include "core/cpu_features.h"
#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/gemm_kernel.h"

namespace prunas::cpu {

namespace gemm_detail {

void micro_kernel_portable(int64_t kc, const ARows& a, const float* b, int64_t b_step, const CTile& c) {
  float acc[MR * NR] = {};
  for (int64_t p = 0; p < kc; ++p, b += b_step)
    for (int64_t r = 0; r < MR; ++r) {
      const float ar = a.row[r][p * a.step];
      for (int64_t j = 0; j < NR; ++j) acc[r * NR + j] += ar * b[j];
    }
  store_tile(acc, c);
}

void pack_b_trans_portable(float* dst, const float* b, int64_t ldb, int64_t kc, int64_t cols) {
  for (int64_t j = 0; j < NR; ++j)
    for (int64_t p = 0; p < kc; ++p) dst[p * NR + j] = j < cols ? b[j * ldb + p] : 0.0f;
}

}  // namespace gemm_detail

namespace {

using namespace gemm_detail;

constexpr int64_t KC = 256;
constexpr int64_t MC = 120;   // 20 panels of MR: a packed A block of 120 KB stays in L2
constexpr int64_t NC = 1024;
// Up to this many packed B elements (256 KB), the B block stays in L2 and
// tiles are swept row by row, so C is written in address order.
constexpr int64_t kRowSweepB = 64 * 1024;
// A transposed A is read in place when a block has at most this many columns.
constexpr int64_t kInPlaceTransACols = 8 * NR;
constexpr double kSerialFlops = 5e5;  // below this, waking threads costs more than it saves
// Costs in multiply-adds, for choose_split: of packing (or adding) one
// element, and of reading one from memory.
constexpr double kPackCost = 6.0;
constexpr double kReadCost = 1.0;

// op(X) of a caller's row-major matrix.
struct Operand {
  const float* data;
  int64_t ld;
  bool trans;
  float at(int64_t row, int64_t col) const { return trans ? data[col * ld + row] : data[row * ld + col]; }
};

struct Problem {
  Operand a, b;  // op(A) is m×k, op(B) is k×n
  int64_t m, n, k;
  float alpha;
  MicroKernel kernel;
  PackBTrans pack_b_trans;
};

// What one thread computes: rows [i0, i1) and columns [j0, j1) of C, summed over k in [p0, p1).
struct Block {
  int64_t i0, i1, j0, j1, p0, p1;
  bool a_in_place(const Problem& pb) const { return !pb.a.trans || j1 - j0 <= kInPlaceTransACols; }
  // A row-major B panel feeds one micro-kernel per MR rows; with few rows, packing costs more than it saves.
  bool b_in_place(const Problem& pb) const { return !pb.b.trans && i1 - i0 <= MC; }
};

// 64-byte aligned scratch that grows as needed and is kept by its thread.
class Scratch {
 public:
  float* get(int64_t count) {
    if (count > capacity_) {
      const size_t bytes = (static_cast<size_t>(count) * sizeof(float) + 63) / 64 * 64;
      data_.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
      if (!data_) {
        capacity_ = 0;
        throw std::bad_alloc();
      }
      capacity_ = count;
    }
    return data_.get();
  }

 private:
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float, Free> data_;
  int64_t capacity_ = 0;
};

struct ThreadScratch {
  Scratch a, b;
};

ThreadScratch& thread_scratch() {
  thread_local ThreadScratch scratch;
  return scratch;
}

// op(A)[i0 : i0+mc, p0 : p0+kc] as MR-high panels, element (r, p) of a panel
// at p·MR + r, rows past the edge zero.
void pack_a(float* dst, const Operand& a, int64_t i0, int64_t mc, int64_t p0, int64_t kc) {
  for (int64_t ir = 0; ir < mc; ir += MR, dst += MR * kc) {
    const int64_t rows = std::min(MR, mc - ir);
    for (int64_t p = 0; p < kc; ++p) {
      int64_t r = 0;
      for (; r < rows; ++r) dst[p * MR + r] = a.at(i0 + ir + r, p0 + p);
      for (; r < MR; ++r) dst[p * MR + r] = 0.0f;
    }
  }
}

// op(B)[p0 : p0+kc, j0 : j0+cols] as one NR-wide panel, element (p, j) at
// p·NR + j, columns past the edge zero.
void pack_b_panel(float* dst, const Problem& pb, int64_t p0, int64_t kc, int64_t j0, int64_t cols) {
  const Operand& b = pb.b;
  if (b.trans) return pb.pack_b_trans(dst, b.data + j0 * b.ld + p0, b.ld, kc, cols);
  for (int64_t p = 0; p < kc; ++p, dst += NR) {
    const float* src = b.data + (p0 + p) * b.ld + j0;
    int64_t j = 0;
    for (; j < cols; ++j) dst[j] = src[j];
    for (; j < NR; ++j) dst[j] = 0.0f;
  }
}

// The block's part of alpha·op(A)·op(B) + beta·C into c, whose c[0] is
// element (i0, j0) of the block.
void gemm_block(const Problem& pb, const Block& blk, float* c, int64_t ldc, float beta) {
  ThreadScratch& scratch = thread_scratch();
  const Operand &A = pb.a, &B = pb.b;
  const bool a_in_place = blk.a_in_place(pb), b_in_place = blk.b_in_place(pb);
  const int64_t kc_max = std::min(KC, blk.p1 - blk.p0);
  float* packed_a = a_in_place ? nullptr : scratch.a.get(std::min(MC, blk.i1 - blk.i0 + MR) * kc_max);
  float* packed_b = scratch.b.get((std::min(NC, blk.j1 - blk.j0) + NR - 1) / NR * NR * kc_max);

  for (int64_t jc = blk.j0; jc < blk.j1; jc += NC) {
    const int64_t nc = std::min(NC, blk.j1 - jc);
    for (int64_t pc = blk.p0; pc < blk.p1; pc += KC) {
      const int64_t kc = std::min(KC, blk.p1 - pc);
      const float beta_here = pc == blk.p0 ? beta : 1.0f;
      for (int64_t jr = 0; jr < nc; jr += NR)
        if (!b_in_place || nc - jr < NR) pack_b_panel(packed_b + jr * kc, pb, pc, kc, jc + jr, std::min(NR, nc - jr));
      for (int64_t ic = blk.i0; ic < blk.i1; ic += MC) {
        const int64_t mc = std::min(MC, blk.i1 - ic);
        if (!a_in_place) pack_a(packed_a, A, ic, mc, pc, kc);
        const auto tile = [&](int64_t ir, int64_t jr) {
          const int64_t mr = std::min(MR, mc - ir), nr = std::min(NR, nc - jr);
          const bool b_direct = b_in_place && nr == NR;
          ARows a_rows;
          for (int64_t r = 0; r < MR; ++r) {
            const int64_t i = ic + ir + std::min(r, mr - 1);
            a_rows.row[r] = !a_in_place ? packed_a + ir * kc + r
                            : A.trans   ? A.data + pc * A.ld + i
                                        : A.data + i * A.ld + pc;
          }
          a_rows.step = !a_in_place ? MR : A.trans ? A.ld : 1;
          pb.kernel(kc, a_rows, b_direct ? B.data + pc * B.ld + jc + jr : packed_b + jr * kc, b_direct ? B.ld : NR,
                    CTile{c + (ic - blk.i0 + ir) * ldc + (jc - blk.j0 + jr), ldc, mr, nr, pb.alpha, beta_here});
        };
        // Otherwise BLIS order: one B panel stays in L1 while the A block streams from L2.
        if (nc * kc <= kRowSweepB) {
          for (int64_t ir = 0; ir < mc; ir += MR)
            for (int64_t jr = 0; jr < nc; jr += NR) tile(ir, jr);
        } else {
          for (int64_t jr = 0; jr < nc; jr += NR)
            for (int64_t ir = 0; ir < mc; ir += MR) tile(ir, jr);
        }
      }
    }
  }
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Part `index` of [0, total) cut into `parts` nearly equal runs.
std::pair<int64_t, int64_t> split_range(int64_t total, int64_t parts, int64_t index) {
  return {total * index / parts, total * (index + 1) / parts};
}

struct Split {
  int64_t tm = 1, tn = 1, tk = 1;
};

// Cuts the work into `threads` blocks, tm along m (whole MR panels) × tn
// along n (whole NR panels) × tk along k, minimising the estimated cost of
// the largest block: its multiply-adds padded to whole tiles, reading its
// operands, packing them, for a k split the partial sums, for an n split its
// second read of A.
Split choose_split(const Problem& pb, int64_t threads) {
  const int64_t m_panels = ceil_div(pb.m, MR), n_panels = ceil_div(pb.n, NR);
  if (threads <= 1 || 2.0 * pb.m * pb.n * pb.k < kSerialFlops) return {};
  Split best;
  double best_cost = -1.0;
  for (int64_t tm = 1; tm <= threads; ++tm)
    for (int64_t tn = 1; tm * tn <= threads; ++tn) {
      const int64_t tk = threads / (tm * tn);
      if (tm * tn * tk != threads || tm > m_panels || tn > n_panels || (tk > 1 && pb.k < 64 * tk)) continue;
      const int64_t rows = std::min(pb.m, ceil_div(m_panels, tm) * MR), cols = std::min(pb.n, ceil_div(n_panels, tn) * NR);
      const int64_t depth = ceil_div(pb.k, tk);
      const Block blk{0, rows, 0, cols, 0, depth};
      double cost = static_cast<double>(ceil_div(rows, MR) * MR) * (ceil_div(cols, NR) * NR) * depth;
      cost += kReadCost * (rows + cols) * depth;
      if (!blk.b_in_place(pb)) cost += kPackCost * depth * cols;
      if (!blk.a_in_place(pb)) cost += kPackCost * rows * depth * ceil_div(cols, NC);
      if (tk > 1) cost += kPackCost * rows * cols * tk;
      // Column blocks each read all of their rows of A and share a cache line of C per row.
      if (tn > 1) cost += kPackCost * rows * depth;
      if (best_cost < 0 || cost < best_cost) best = {tm, tn, tk}, best_cost = cost;
    }
  return best;
}

// For m < MR (a classifier on a few images, a GEMV) the tiles would be mostly
// padding and packing would cost as much as the product: each row of C is
// computed directly.
void sgemm_few_rows(const Operand& A, const Operand& B, int64_t m, int64_t n, int64_t k, float alpha, float beta,
                    float* c, int64_t ldc) {
  parallel_for(n, [&](int64_t jb, int64_t je) {
    std::vector<float> row(static_cast<size_t>(k)), sum(static_cast<size_t>(je - jb));
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t p = 0; p < k; ++p) row[p] = A.at(i, p);
      if (B.trans) {
        for (int64_t j = jb; j < je; ++j) {
          const float* col = B.data + j * B.ld;
          float acc[8] = {};
          int64_t p = 0;
          for (; p + 8 <= k; p += 8)
            for (int u = 0; u < 8; ++u) acc[u] += row[p + u] * col[p + u];
          for (; p < k; ++p) acc[0] += row[p] * col[p];
          sum[j - jb] = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
        }
      } else {
        std::fill(sum.begin(), sum.end(), 0.0f);
        for (int64_t p = 0; p < k; ++p) {
          const float* b_row = B.data + p * B.ld;
          for (int64_t j = jb; j < je; ++j) sum[j - jb] += row[p] * b_row[j];
        }
      }
      for (int64_t j = jb; j < je; ++j) {
        float* out = c + i * ldc + j;
        *out = beta == 0.0f ? alpha * sum[j - jb] : alpha * sum[j - jb] + beta * *out;
      }
    }
  }, 64);
}

void check_arguments(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
                     const float* b, int64_t ldb, const float* c, int64_t ldc) {
  constexpr long long kMax = INT64_MAX;
  check_range("sgemm: m", m, 0, kMax);
  check_range("sgemm: n", n, 0, kMax);
  check_range("sgemm: k", k, 0, kMax);
  check_range("sgemm: lda", lda, std::max<int64_t>(1, trans_a ? m : k), kMax);
  check_range("sgemm: ldb", ldb, std::max<int64_t>(1, trans_b ? k : n), kMax);
  check_range("sgemm: ldc", ldc, std::max<int64_t>(1, n), kMax);
  if (m > 0 && n > 0 && (!c || (k > 0 && (!a || !b)))) throw_type("sgemm: a, b and c must not be null");
}

void scale(float* c, int64_t ldc, int64_t m, int64_t n, float beta) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
}

}  // namespace

void sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
           const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  check_arguments(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc);
  if (m == 0 || n == 0) return;
  if (k == 0 || alpha == 0.0f) return scale(c, ldc, m, n, beta);
  const Operand A{a, lda, trans_a}, B{b, ldb, trans_b};
  if (m < MR) return sgemm_few_rows(A, B, m, n, k, alpha, beta, c, ldc);
  const bool avx2 = cpu_features().avx2_fma;
  const Problem pb{A,     B, m, n, k, alpha, avx2 ? micro_kernel_avx2 : micro_kernel_portable,
                   avx2 ? pack_b_trans_avx2 : pack_b_trans_portable};
  const Split split = choose_split(pb, cpu_threads());
  std::vector<float> partial(static_cast<size_t>((split.tk - 1) * m * n));  // k parts after the first
  parallel_for(split.tm * split.tn * split.tk, [&](int64_t task_begin, int64_t task_end) {
    for (int64_t t = task_begin; t < task_end; ++t) {
      const int64_t ik = t % split.tk, in = t / split.tk % split.tn, im = t / (split.tk * split.tn);
      const auto [ib, ie] = split_range(ceil_div(m, MR), split.tm, im);
      const auto [jb, je] = split_range(ceil_div(n, NR), split.tn, in);
      const auto [p0, p1] = split_range(k, split.tk, ik);
      const Block blk{ib * MR, std::min(m, ie * MR), jb * NR, std::min(n, je * NR), p0, p1};
      if (blk.i0 >= blk.i1 || blk.j0 >= blk.j1) continue;
      if (ik == 0)
        gemm_block(pb, blk, c + blk.i0 * ldc + blk.j0, ldc, beta);
      else
        gemm_block(pb, blk, partial.data() + ((ik - 1) * m + blk.i0) * n + blk.j0, n, 0.0f);
    }
  });
  if (split.tk == 1) return;
  parallel_for(m, [&](int64_t ib, int64_t ie) {
    for (int64_t i = ib; i < ie; ++i)
      for (int64_t part = 0; part < split.tk - 1; ++part)
        for (int64_t j = 0; j < n; ++j) c[i * ldc + j] += partial[(part * m + i) * n + j];
  }, 16);
}

}  // namespace prunas::cpu
