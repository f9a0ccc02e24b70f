#pragma once
#include <cstdint>

namespace prunas::cpu {

// C = alpha · op(A) · op(B) + beta · C, row-major with leading dimensions.
// op(A) is M×K (A is K×M when trans_a), op(B) is K×N (B is N×K when trans_b).
// beta == 0 overwrites C without reading it. Runs on the CPU thread pool.
void sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
           const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

}  // namespace prunas::cpu
