#pragma once

namespace prunas::cpu {

// Measures this core's FP32 fused multiply-add throughput (GFLOP/s, one
// thread) by running independent FMA chains for about `seconds`: the peak a
// GEMM can be compared with.
double fma_peak_gflops(double seconds);

}  // namespace prunas::cpu
