#pragma once
#include <cstdint>

namespace prunas::cpu {

// out[c] = Σ_r x[r·cols + c], deterministic: per-chunk partials over rows in
// double, combined in chunk order.
void column_sums(float* out, const float* x, int64_t rows, int64_t cols);

}  // namespace prunas::cpu
