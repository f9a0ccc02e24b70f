#pragma once

namespace prunas::cpu {

// Measures this core's FP32 fused multiply-add throughput (GFLOP/s, one
// thread) by running independent FMA chains for about `seconds`: the peak a
// GEMM can be compared with.
double fma_peak_gflops(double seconds);

// The same on every thread of the CPU pool at once, summed: what all threads
// together reach (cores that share FMA units or clock down show it here).
double fma_peak_gflops_all_threads(double seconds);

}  // namespace prunas::cpu
