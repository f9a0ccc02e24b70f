// Activation buffers of one step, counted: the engine's own accounting of
// activation memory (current and peak bytes), which the memory claims of
// the path-binarised modes are tested against. The storage comes from the
// supernet's Compute (host memory or device memory).
#pragma once
#include <cstdint>
#include <memory>

#include "nn/compute.h"

namespace prunas::nn {

// Activation bytes in use (current, and the peak since reset_peak()); the
// compute's cached storage is not counted as in use.
struct MemoryStats {
  explicit MemoryStats(Compute& c) : compute(c) {}
  Compute& compute;
  int64_t current_bytes = 0;
  int64_t peak_bytes = 0;
  void reset_peak() { peak_bytes = current_bytes; }
};

class Activation {
 public:
  Activation(MemoryStats& stats, int64_t size, Compute::Storage storage = Compute::Storage::Data)
      : stats_(stats), size_(size), storage_(storage), data_(stats.compute.allocate(size, storage)) {
    stats_.current_bytes += bytes();
    if (stats_.current_bytes > stats_.peak_bytes) stats_.peak_bytes = stats_.current_bytes;
  }
  ~Activation() {
    stats_.current_bytes -= bytes();
    stats_.compute.release(data_, size_, storage_);
  }
  Activation(const Activation&) = delete;
  Activation& operator=(const Activation&) = delete;

  float* data() { return data_; }
  const float* data() const { return data_; }
  int64_t size() const { return size_; }
  int64_t bytes() const { return size_ * stats_.compute.element_bytes(storage_); }

 private:
  MemoryStats& stats_;
  int64_t size_;
  Compute::Storage storage_;
  float* data_;
};

using ActivationPtr = std::shared_ptr<Activation>;

inline ActivationPtr make_activation(MemoryStats& stats, int64_t size) {
  return std::make_shared<Activation>(stats, size);
}

// Float32 whatever the activation type (BN statistics, γ/β scratch).
inline ActivationPtr make_float32(MemoryStats& stats, int64_t size) {
  return std::make_shared<Activation>(stats, size, Compute::Storage::Float32);
}

// NHWC geometry of an activation.
struct Geometry {
  int64_t n, h, w, c;
  int64_t size() const { return n * h * w * c; }
};

}  // namespace prunas::nn
