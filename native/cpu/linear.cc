#include "cpu/linear.h"

#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/gemm.h"
#include "cpu/reduce.h"

namespace prunas::cpu {

namespace {
void check_sizes(const char* kernel, int64_t rows, int64_t in, int64_t out) {
  constexpr long long kMax = INT64_MAX;
  check_range((std::string(kernel) + ": rows").c_str(), rows, 0, kMax);
  check_range((std::string(kernel) + ": in").c_str(), in, 1, kMax);
  check_range((std::string(kernel) + ": out").c_str(), out, 1, kMax);
}
}  // namespace

void linear_forward(float* y, const float* x, const float* w, const float* bias, int64_t rows, int64_t in,
                    int64_t out) {
  check_sizes("linear_forward", rows, in, out);
  sgemm(false, true, rows, out, in, 1.0f, x, in, w, in, 0.0f, y, out);
  if (!bias) return;
  parallel_for(rows, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r)
      for (int64_t o = 0; o < out; ++o) y[r * out + o] += bias[o];
  }, 256);
}

void linear_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w, int64_t rows,
                     int64_t in, int64_t out) {
  check_sizes("linear_backward", rows, in, out);
  if (dx) sgemm(false, false, rows, in, out, 1.0f, dy, out, w, in, 0.0f, dx, in);
  if (dw) sgemm(true, false, out, in, rows, 1.0f, dy, out, x, in, 0.0f, dw, in);
  if (db) column_sums(db, dy, rows, out);
}

}  // namespace prunas::cpu
