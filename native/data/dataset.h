// A labelled image dataset held in native memory (uint8 NHWC), and batch
// assembly with augmentation: random crop with zero padding, horizontal flip,
// per-channel normalisation. Each sample's random draws come from its own
// Philox counter, so a batch is the same whatever the thread count.
#pragma once
#include <cstdint>
#include <vector>
#ifdef PRUNAS_WITH_CUDA
#include <functional>
#include <memory>
#include <mutex>
#endif

namespace prunas {

struct Augmentation {
  int pad = 0;          // random crop of the original size from the image padded by `pad` zeros
  bool hflip = false;   // flip left-right with probability 1/2
  std::vector<float> mean;  // per channel, applied to pixel/255
  std::vector<float> std;
};

// The per-channel affine map fill_batch applies to a pixel v:
// v·scale[c] + shift[c] with scale = 1/(255·std), shift = −mean/std.
void normalisation(const Augmentation& aug, std::vector<float>& scale, std::vector<float>& shift);

class Dataset {
 public:
  Dataset(std::vector<uint8_t> images, std::vector<int32_t> labels, int height, int width, int channels, int classes);

  int64_t size() const { return static_cast<int64_t>(labels_.size()); }
  int height() const { return height_; }
  int width() const { return width_; }
  int channels() const { return channels_; }
  int classes() const { return classes_; }
  int32_t label(int64_t i) const { return labels_[i]; }
  const uint8_t* image(int64_t i) const { return images_.data() + i * sample_size(); }
  int64_t sample_size() const { return static_cast<int64_t>(height_) * width_ * channels_; }

  // Writes samples `indices[0..count)` as float NHWC into x and their labels
  // into y. Sample i of the batch draws from Philox(seed, stream, counter + i).
  void fill_batch(const int32_t* indices, int64_t count, const Augmentation& aug, uint64_t seed, uint64_t counter,
                  float* x, int32_t* y) const;
  // A RangeError naming the first index outside the dataset, or mean/std of the wrong length.
  void check_batch(const int32_t* indices, int64_t count, const Augmentation& aug) const;

#ifdef PRUNAS_WITH_CUDA
  // The dataset resident on one CUDA device (native/cuda/batch.cu): made by
  // `make` on the first call for that device, kept until the dataset goes.
  struct DeviceCopy {
    virtual ~DeviceCopy() = default;
  };
  const DeviceCopy& device_copy(int device, const std::function<std::unique_ptr<DeviceCopy>()>& make) const;
#endif

 private:
  std::vector<uint8_t> images_;
  std::vector<int32_t> labels_;
  int height_, width_, channels_, classes_;
#ifdef PRUNAS_WITH_CUDA
  mutable std::mutex device_mutex_;
  mutable std::vector<std::unique_ptr<DeviceCopy>> device_copies_;  // by device index
#endif
};

// Stream ids of the engine's Philox generators, one per purpose.
// kProfileStream: the random inputs of latency timing; kValidateStream: the
// architectures a latency table is validated on (drawn from TS, philoxFill).
enum RngStream : uint64_t {
  kInitStream = 1,
  kSampleStream = 2,
  kAugmentStream = 3,
  kShuffleStream = 4,
  kProfileStream = 5,
  kValidateStream = 6
};

// A seeded Fisher-Yates permutation of [0, n).
std::vector<int32_t> permutation(int64_t n, uint64_t seed, uint64_t counter);

}  // namespace prunas
