// Batch assembly on the device from a dataset resident there: the kernel twin
// of Dataset::fill_batch (native/data/dataset.cc). Sample i of a batch takes
// its crop offsets and flip from the first Philox block of (seed,
// kAugmentStream) at counter + i: words 0 and 1 for the crop when pad > 0,
// the low bit of the next word for the flip, exactly the draws the host
// makes. Normalisation uses the host's scale and shift with the host's two
// roundings (no FMA contraction). One thread block per sample: thread 0
// draws, every thread writes elements of the sample. No atomics.
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "core/error.h"
#include "cuda/check.h"
#include "cuda/device_common.cuh"
#include "cuda/kernels.h"
#include "cuda/philox.cuh"
#include "data/dataset.h"

namespace prunas::cuda {

namespace {

constexpr int kMaxChannels = 4;  // the Dataset's limit

struct Geometry {
  int height, width, channels;
  int64_t sample_size;
};

struct Augment {
  int pad;
  bool hflip;
  uint64_t seed, counter;
  float scale[kMaxChannels], shift[kMaxChannels];
};

struct Draws {
  int dy, dx;
  bool flip;
};

// Sample i's draws, as Dataset::fill_batch makes them with Philox::below and next_u32.
__host__ __device__ inline Draws draws_of(const Augment& a, int64_t i) {
  const PhiloxWords r = philox_words(a.seed, kAugmentStream, a.counter + static_cast<uint64_t>(i));
  Draws d{0, 0, false};
  int next = 0;
  if (a.pad > 0) {
    const auto span = static_cast<uint32_t>(2 * a.pad + 1);
    d.dy = static_cast<int>(philox_below(r.w[0], span)) - a.pad;
    d.dx = static_cast<int>(philox_below(r.w[1], span)) - a.pad;
    next = 2;
  }
  d.flip = a.hflip && (r.w[next] & 1u) != 0;
  return d;
}

__host__ __device__ inline float normalised(float v, float scale, float shift) {
#if defined(__CUDA_ARCH__) || defined(PRUNAS_CUDA_EMULATION)
  return __fadd_rn(__fmul_rn(v, scale), shift);  // nvcc would fuse v·scale + shift into one FMA
#else
  return v * scale + shift;
#endif
}

// Element e (NHWC order within the sample) of the augmented sample whose image is src.
__host__ __device__ inline float element(const uint8_t* src, const Draws& d, int64_t e, const Geometry& g,
                                         const Augment& a) {
  const int c = static_cast<int>(e % g.channels);
  const int64_t pixel = e / g.channels;
  const int col = static_cast<int>(pixel % g.width), r = static_cast<int>(pixel / g.width);
  const int sr = r + d.dy, sc = (d.flip ? g.width - 1 - col : col) + d.dx;
  const bool inside = sr >= 0 && sr < g.height && sc >= 0 && sc < g.width;
  const float v = inside ? static_cast<float>(src[(static_cast<int64_t>(sr) * g.width + sc) * g.channels + c]) : 0.0f;
  return normalised(v, a.scale[c], a.shift[c]);
}

__global__ void assemble_kernel(float* x, int32_t* y, const uint8_t* images, const int32_t* labels,
                                const int32_t* indices, int64_t count, Geometry g, Augment a) {
  __shared__ Draws draws;
  for (int64_t i = blockIdx.x; i < count; i += gridDim.x) {
    if (threadIdx.x == 0) {
      draws = draws_of(a, i);
      if (y) y[i] = labels[indices[i]];
    }
    __syncthreads();
    const uint8_t* src = images + indices[i] * g.sample_size;
    float* dst = x + i * g.sample_size;
    for (int64_t e = threadIdx.x; e < g.sample_size; e += blockDim.x) dst[e] = element(src, draws, e, g, a);
    __syncthreads();  // thread 0 rewrites draws for the block's next sample
  }
}

Geometry geometry_of(const Dataset& data) {
  return {data.height(), data.width(), data.channels(), data.sample_size()};
}

Augment augment_of(const Augmentation& aug, uint64_t seed, uint64_t counter) {
  Augment a{};
  a.pad = aug.pad;
  a.hflip = aug.hflip;
  a.seed = seed;
  a.counter = counter;
  std::vector<float> scale, shift;
  normalisation(aug, scale, shift);
  for (size_t c = 0; c < scale.size() && c < kMaxChannels; ++c) {
    a.scale[c] = scale[c];
    a.shift[c] = shift[c];
  }
  return a;
}

// The images (uint8, as the host holds them) and labels of a dataset on one
// device. Made inside a job (the device's mutex held); destroyed with the
// dataset, outside any job, so the destructor takes the mutex to give the
// blocks back to the allocator.
class ResidentDataset final : public Dataset::DeviceCopy {
 public:
  ResidentDataset(DeviceContext& ctx, const Dataset& data) : ctx_(ctx) {
    images_.emplace(upload(ctx, data.image(0), data.size() * data.sample_size()));
    std::vector<int32_t> labels(static_cast<size_t>(data.size()));
    for (int64_t i = 0; i < data.size(); ++i) labels[i] = data.label(i);
    labels_.emplace(upload(ctx, labels.data(), data.size()));
    ctx.synchronize("uploading a dataset");
  }
  ~ResidentDataset() override {
    std::lock_guard<std::mutex> lock(ctx_.mutex());
    images_.reset();
    labels_.reset();
  }

  const uint8_t* images() const { return images_->data(); }
  const int32_t* labels() const { return labels_->data(); }

 private:
  DeviceContext& ctx_;
  std::optional<DeviceArray<uint8_t>> images_;
  std::optional<DeviceArray<int32_t>> labels_;
};

const ResidentDataset& resident(DeviceContext& ctx, const Dataset& data) {
  // every copy of a dataset is made here, so the cast is exact
  return static_cast<const ResidentDataset&>(
      data.device_copy(ctx.device(), [&] { return std::make_unique<ResidentDataset>(ctx, data); }));
}

}  // namespace

void assemble_batch(DeviceContext& ctx, const Dataset& data, const int32_t* indices, int64_t count,
                    const Augmentation& aug, uint64_t seed, uint64_t counter, float* device_x, int32_t* host_y,
                    int32_t* device_y) {
  data.check_batch(indices, count, aug);
  if (count <= 0) return;
  const ResidentDataset& on_device = resident(ctx, data);
  if (host_y)
    for (int64_t i = 0; i < count; ++i) host_y[i] = data.label(indices[i]);
  DeviceArray<int32_t> device_indices = upload(ctx, indices, count);
  assemble_kernel<<<grid_for(count, 1), kThreads, 0, ctx.stream()>>>(
      device_x, device_y, on_device.images(), on_device.labels(), device_indices.data(), count, geometry_of(data),
      augment_of(aug, seed, counter));
  PRUNAS_CHECK_LAUNCH("assemble_kernel");
}

void assemble_batch_emulated(const Dataset& data, const int32_t* indices, int64_t count, const Augmentation& aug,
                             uint64_t seed, uint64_t counter, float* x, int32_t* y) {
  data.check_batch(indices, count, aug);
  const Geometry g = geometry_of(data);
  const Augment a = augment_of(aug, seed, counter);
  for (int64_t i = 0; i < count; ++i) {
    const Draws d = draws_of(a, i);
    const uint8_t* src = data.image(indices[i]);
    for (int64_t e = 0; e < g.sample_size; ++e) x[i * g.sample_size + e] = element(src, d, e, g, a);
    y[i] = data.label(indices[i]);
  }
}

}  // namespace prunas::cuda
