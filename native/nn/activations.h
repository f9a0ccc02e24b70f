// Activation buffers of one step, counted: the engine's own accounting of
// activation memory (current and peak bytes), which the memory claims of
// the path-binarised modes are tested against.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace prunas::nn {

// Released activation buffers, kept for the next step: a step allocates the
// same sizes every time, and fresh multi-megabyte buffers cost page faults
// and zero-filling that dominate small-image steps.
class BufferPool {
 public:
  std::vector<float> take(int64_t size) {
    auto it = free_.find(size);
    if (it == free_.end()) return std::vector<float>(static_cast<size_t>(size));
    std::vector<float> v = std::move(it->second);
    free_.erase(it);
    cached_bytes_ -= size * static_cast<int64_t>(sizeof(float));
    return v;
  }
  void give(std::vector<float>&& v) {
    const auto size = static_cast<int64_t>(v.size());
    cached_bytes_ += size * static_cast<int64_t>(sizeof(float));
    free_.emplace(size, std::move(v));
  }
  void clear() {
    free_.clear();
    cached_bytes_ = 0;
  }
  int64_t cached_bytes() const { return cached_bytes_; }

 private:
  std::multimap<int64_t, std::vector<float>> free_;
  int64_t cached_bytes_ = 0;
};

// Activation bytes in use (current, and the peak since reset_peak()); the
// pool's cached buffers are not counted as in use.
struct MemoryStats {
  int64_t current_bytes = 0;
  int64_t peak_bytes = 0;
  BufferPool pool;
  void reset_peak() { peak_bytes = current_bytes; }
};

class Activation {
 public:
  Activation(MemoryStats& stats, int64_t size) : stats_(stats), data_(stats.pool.take(size)) {
    stats_.current_bytes += bytes();
    if (stats_.current_bytes > stats_.peak_bytes) stats_.peak_bytes = stats_.current_bytes;
  }
  ~Activation() {
    stats_.current_bytes -= bytes();
    stats_.pool.give(std::move(data_));
  }
  Activation(const Activation&) = delete;
  Activation& operator=(const Activation&) = delete;

  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  int64_t size() const { return size_; }
  int64_t bytes() const { return size_ * static_cast<int64_t>(sizeof(float)); }

 private:
  MemoryStats& stats_;
  std::vector<float> data_;
  int64_t size_ = static_cast<int64_t>(data_.size());
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

// ⟨a, b⟩ in double over fixed blocks summed in block order: the same value
// whatever the thread count (gate gradients are such inner products).
double dot(const float* a, const float* b, int64_t n);
// y += alpha · x
void axpy(float* y, float alpha, const float* x, int64_t n);
// y = alpha · x
void scale(float* y, float alpha, const float* x, int64_t n);

}  // namespace prunas::nn
