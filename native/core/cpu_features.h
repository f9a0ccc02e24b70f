// What the CPU we run on can execute; kernels pick their variant at run time.
#pragma once

namespace prunas {

struct CpuFeatures {
  bool avx2_fma = false;
  bool avx512f = false;
};

const CpuFeatures& cpu_features();
// Name of the widest vector path in use ("avx512", "avx2", "portable").
const char* cpu_vector_path();

}  // namespace prunas
