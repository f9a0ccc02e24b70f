// Activation buffers of one step, counted: the engine's own accounting of
// activation memory (current and peak bytes), which the memory claims of
// the path-binarised modes are tested against.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

namespace prunas::nn {

struct MemoryStats {
  int64_t current_bytes = 0;
  int64_t peak_bytes = 0;
  void reset_peak() { peak_bytes = current_bytes; }
};

class Activation {
 public:
  Activation(MemoryStats& stats, int64_t size) : stats_(stats), data_(static_cast<size_t>(size)) {
    stats_.current_bytes += bytes();
    if (stats_.current_bytes > stats_.peak_bytes) stats_.peak_bytes = stats_.current_bytes;
  }
  ~Activation() { stats_.current_bytes -= bytes(); }
  Activation(const Activation&) = delete;
  Activation& operator=(const Activation&) = delete;

  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  int64_t size() const { return static_cast<int64_t>(data_.size()); }
  int64_t bytes() const { return size() * static_cast<int64_t>(sizeof(float)); }

 private:
  MemoryStats& stats_;
  std::vector<float> data_;
};

using ActivationPtr = std::shared_ptr<Activation>;

inline ActivationPtr make_activation(MemoryStats& stats, int64_t size) {
  return std::make_shared<Activation>(stats, size);
}

// NHWC geometry of an activation.
struct Geometry {
  int64_t n, h, w, c;
  int64_t size() const { return n * h * w * c; }
};

}  // namespace prunas::nn
