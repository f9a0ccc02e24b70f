#include "cpu_features.h"

#include <cstdlib>
#include <cstring>

namespace prunas {

namespace {
CpuFeatures detect() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  f.avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  f.avx512f = __builtin_cpu_supports("avx512f") && f.avx2_fma;
#endif
  // PRUNAS_CPU_PATH=portable|avx2 caps the dispatch (tests of every path).
  if (const char* cap = std::getenv("PRUNAS_CPU_PATH")) {
    if (std::strcmp(cap, "portable") == 0) f = CpuFeatures{};
    if (std::strcmp(cap, "avx2") == 0) f.avx512f = false;
  }
  return f;
}
}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

const char* cpu_vector_path() {
  const CpuFeatures& f = cpu_features();
  return f.avx512f ? "avx512" : f.avx2_fma ? "avx2" : "portable";
}

}  // namespace prunas
