// A contiguous float32 tensor in NHWC (or any row-major) layout. It either
// owns its storage or borrows memory it does not free (a JS TypedArray pinned
// by the caller for as long as the tensor is used).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "error.h"

namespace prunas {

using Shape = std::vector<int64_t>;

inline int64_t shape_numel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) throw_range("shape dimension must be >= 0, got " + std::to_string(d));
    n *= d;
  }
  return n;
}

inline std::string shape_string(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

class Tensor {
 public:
  Tensor() = default;

  static Tensor zeros(const Shape& shape) {
    Tensor t;
    t.shape_ = shape;
    t.storage_ = std::make_shared<std::vector<float>>(static_cast<size_t>(shape_numel(shape)), 0.0f);
    t.data_ = t.storage_->data();
    return t;
  }

  // Wraps memory owned elsewhere; `length` is the number of floats available.
  static Tensor borrow(float* data, int64_t length, const Shape& shape) {
    if (shape_numel(shape) != length)
      throw_range("buffer of " + std::to_string(length) + " floats does not match shape " + shape_string(shape));
    Tensor t;
    t.shape_ = shape;
    t.data_ = data;
    return t;
  }

  float* data() { return data_; }
  const float* data() const { return data_; }
  const Shape& shape() const { return shape_; }
  int64_t dim(size_t i) const { return shape_.at(i); }
  int64_t numel() const { return data_ ? shape_numel(shape_) : 0; }
  bool owns_storage() const { return storage_ != nullptr; }

 private:
  Shape shape_;
  std::shared_ptr<std::vector<float>> storage_;
  float* data_ = nullptr;
};

}  // namespace prunas
