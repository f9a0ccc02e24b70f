#include "cpu/fma_peak.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

#include "core/cpu_features.h"
#include "core/thread_pool.h"

namespace prunas::cpu {

namespace avx2 {
double fma_chains(int64_t iterations, float* sink);
}

namespace {

double portable_chains(int64_t iterations, float* sink) {
  float acc[16];
  for (int i = 0; i < 16; ++i) acc[i] = static_cast<float>(i) * 1e-3f;
  for (int64_t it = 0; it < iterations; ++it)
    for (int i = 0; i < 16; ++i) acc[i] = acc[i] * 0.999999f + 1e-7f;
  float total = 0.0f;
  for (float v : acc) total += v;
  *sink = total;
  return static_cast<double>(iterations) * 16 * 2;
}

}  // namespace

double fma_peak_gflops(double seconds) {
  const bool vector = cpu_features().avx2_fma;
  volatile float keep = 0.0f;
  float sink = 0.0f;
  double best = 0.0;
  int64_t iterations = 1 << 16;
  const auto start = std::chrono::steady_clock::now();
  // Repeat rounds, keep the best: the peak is what the core can do, not the average.
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < seconds) {
    const auto t0 = std::chrono::steady_clock::now();
    const double flops = vector ? avx2::fma_chains(iterations, &sink) : portable_chains(iterations, &sink);
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    keep = keep + sink;
    if (dt > 0) best = std::max(best, flops / dt * 1e-9);
    if (dt < 0.01) iterations *= 2;
  }
  return best;
}

double fma_peak_gflops_all_threads(double seconds) {
  std::vector<double> per_thread(static_cast<size_t>(cpu_threads()), 0.0);
  parallel_for(static_cast<int64_t>(per_thread.size()), [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) per_thread[t] = fma_peak_gflops(seconds);
  });
  double total = 0.0;
  for (double g : per_thread) total += g;
  return total;
}

}  // namespace prunas::cpu
