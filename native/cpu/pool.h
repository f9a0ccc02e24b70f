#pragma once
#include <cstdint>

namespace prunas::cpu {

// Global average pool: x [n, hw, c] (NHWC with H·W flattened) → y [n, c].
// The forward sums each channel in double.
void global_avg_pool_forward(float* y, const float* x, int64_t n, int64_t hw, int64_t c);
void global_avg_pool_backward(float* dx, const float* dy, int64_t n, int64_t hw, int64_t c);

}  // namespace prunas::cpu
