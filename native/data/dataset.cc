#include "data/dataset.h"

#include <string>

#include "core/error.h"
#include "core/philox.h"
#include "core/thread_pool.h"

namespace prunas {

Dataset::Dataset(std::vector<uint8_t> images, std::vector<int32_t> labels, int height, int width, int channels,
                 int classes)
    : images_(std::move(images)), labels_(std::move(labels)), height_(height), width_(width), channels_(channels),
      classes_(classes) {
  check_range("height", height, 1, 1 << 15);
  check_range("width", width, 1, 1 << 15);
  check_range("channels", channels, 1, 4);
  check_range("classes", classes, 1, 1 << 20);
  if (static_cast<int64_t>(images_.size()) != size() * sample_size())
    throw_range("images has " + std::to_string(images_.size()) + " bytes, expected " +
                std::to_string(size() * sample_size()) + " for " + std::to_string(size()) + " labels");
  for (int64_t i = 0; i < size(); ++i)
    if (labels_[i] < 0 || labels_[i] >= classes_)
      throw_range("labels[" + std::to_string(i) + "] = " + std::to_string(labels_[i]) + " is outside [0, " +
                  std::to_string(classes_) + ")");
}

void normalisation(const Augmentation& aug, std::vector<float>& scale, std::vector<float>& shift) {
  const size_t C = aug.std.size();
  scale.resize(C);
  shift.resize(C);
  for (size_t c = 0; c < C; ++c) {
    scale[c] = 1.0f / (255.0f * aug.std[c]);
    shift[c] = -aug.mean[c] / aug.std[c];
  }
}

void Dataset::check_batch(const int32_t* indices, int64_t count, const Augmentation& aug) const {
  for (int64_t i = 0; i < count; ++i)
    if (indices[i] < 0 || indices[i] >= size())
      throw_range("indices[" + std::to_string(i) + "] = " + std::to_string(indices[i]) + " is outside [0, " +
                  std::to_string(size()) + ")");
  if (static_cast<int>(aug.mean.size()) != channels_ || static_cast<int>(aug.std.size()) != channels_)
    throw_range("mean and std need " + std::to_string(channels_) + " values");
}

void Dataset::fill_batch(const int32_t* indices, int64_t count, const Augmentation& aug, uint64_t seed,
                         uint64_t counter, float* x, int32_t* y) const {
  check_batch(indices, count, aug);
  const int H = height_, W = width_, C = channels_;
  std::vector<float> scale, shift;
  normalisation(aug, scale, shift);
  parallel_for(count, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      Philox rng(seed, kAugmentStream, counter + static_cast<uint64_t>(i));
      const int span = 2 * aug.pad + 1;
      const int dy = aug.pad > 0 ? static_cast<int>(rng.below(span)) - aug.pad : 0;
      const int dx = aug.pad > 0 ? static_cast<int>(rng.below(span)) - aug.pad : 0;
      const bool flip = aug.hflip && (rng.next_u32() & 1u);
      const uint8_t* src = image(indices[i]);
      float* dst = x + i * sample_size();
      for (int r = 0; r < H; ++r)
        for (int col = 0; col < W; ++col) {
          const int sr = r + dy, sc = (flip ? W - 1 - col : col) + dx;
          const bool inside = sr >= 0 && sr < H && sc >= 0 && sc < W;
          for (int c = 0; c < C; ++c) {
            const float v = inside ? src[(static_cast<int64_t>(sr) * W + sc) * C + c] : 0.0f;
            dst[(static_cast<int64_t>(r) * W + col) * C + c] = v * scale[c] + shift[c];
          }
        }
      y[i] = labels_[indices[i]];
    }
  }, 8);
}

#ifdef PRUNAS_WITH_CUDA
const Dataset::DeviceCopy& Dataset::device_copy(int device,
                                                const std::function<std::unique_ptr<DeviceCopy>()>& make) const {
  std::lock_guard<std::mutex> lock(device_mutex_);
  if (device_copies_.size() <= static_cast<size_t>(device)) device_copies_.resize(static_cast<size_t>(device) + 1);
  if (!device_copies_[device]) device_copies_[device] = make();
  return *device_copies_[device];
}
#endif

std::vector<int32_t> permutation(int64_t n, uint64_t seed, uint64_t counter) {
  check_range("n", n, 0, (1LL << 31) - 1);
  std::vector<int32_t> p(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) p[i] = static_cast<int32_t>(i);
  Philox rng(seed, kShuffleStream, counter);
  for (int64_t i = n - 1; i > 0; --i) std::swap(p[i], p[rng.below(static_cast<uint32_t>(i + 1))]);
  return p;
}

}  // namespace prunas
