#include "cpu/reduce.h"

#include <vector>

#include "core/thread_pool.h"

namespace prunas::cpu {

void column_sums(float* out, const float* x, int64_t rows, int64_t cols) {
  const int chunks = cpu_threads();
  std::vector<double> partial(static_cast<size_t>(chunks) * cols, 0.0);
  const int used = parallel_chunks(rows, [&](int chunk, int64_t b, int64_t e) {
    double* acc = partial.data() + static_cast<int64_t>(chunk) * cols;
    for (int64_t r = b; r < e; ++r) {
      const float* row = x + r * cols;
      for (int64_t c = 0; c < cols; ++c) acc[c] += row[c];
    }
  }, 64);
  for (int64_t c = 0; c < cols; ++c) {
    double s = 0.0;
    for (int k = 0; k < used; ++k) s += partial[static_cast<int64_t>(k) * cols + c];
    out[c] = static_cast<float>(s);
  }
}

}  // namespace prunas::cpu
