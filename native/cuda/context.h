// One context per CUDA device: the device's single stream, its caching
// allocator and a mutex so that one job at a time uses the device (jobs
// queue on the mutex). Everything the backend queues goes on this stream in
// order; events mark points in it for timing and for waiting on the host.
#pragma once
#include <cuda_runtime.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "cuda/allocator.h"

namespace prunas::cuda {

class DeviceContext {
 public:
  explicit DeviceContext(int device);
  ~DeviceContext();
  DeviceContext(const DeviceContext&) = delete;
  DeviceContext& operator=(const DeviceContext&) = delete;

  int device() const { return device_; }
  cudaStream_t stream() const { return stream_; }
  DeviceAllocator& allocator() { return allocator_; }
  std::mutex& mutex() { return mutex_; }
  // Makes this device current on the calling thread (worker threads vary).
  void activate() const;
  // Waits for everything queued on the stream; reports an asynchronous
  // kernel fault here, naming `what`.
  void synchronize(const char* what);
  // How many times synchronize() has waited (the host's waits on this device).
  // Read by any net on the device (memoryStats), so atomic.
  int64_t synchronizations() const { return synchronizations_.load(std::memory_order_relaxed); }
  // A small host → device copy (a pointer table, labels, batch indices) that
  // never waits for the stream: the bytes go through a pinned staging buffer
  // (from pageable memory the driver may wait for the stream before copying).
  // The buffer is reused from its start after each synchronize(); when it is
  // full, this synchronizes first. Copies larger than the buffer go straight
  // from `host` (copy_to_device).
  void stage_to_device(void* device, const void* host, size_t bytes);
  // True between begin_capture() and end_capture() (class Graph): the
  // stream then records its work instead of running it, so nothing may wait
  // for it or copy between the host and the device.
  bool capturing() const { return capturing_; }
  void set_capturing(bool capturing) {
    capturing_ = capturing;
    allocator_.set_keep_cache(capturing);
  }
  // Throws, naming `what`, while the stream is being captured.
  void refuse_in_capture(const char* what) const;

 private:
  static constexpr size_t kStagingBytes = size_t{1} << 20;
  int device_;
  cudaStream_t stream_ = nullptr;
  DeviceAllocator allocator_;
  std::mutex mutex_;
  std::atomic<int64_t> synchronizations_{0};
  char* staging_ = nullptr;  // pinned, kStagingBytes, allocated on first use
  size_t staging_used_ = 0;  // bytes handed out since the last synchronize()
  bool capturing_ = false;
};

// The context of `device`, created on first use. A RangeError naming the
// device when it does not exist (also when no GPU or driver is present).
// Contexts live until the process ends: they are never destroyed, so no
// CUDA call runs during static destruction.
DeviceContext& device_context(int device);

// A device block from the context's allocator, returned to it on
// destruction. Holds `count` elements of T.
template <typename T>
class DeviceArray {
 public:
  DeviceArray(DeviceContext& ctx, int64_t count)
      : ctx_(&ctx), count_(count), data_(static_cast<T*>(ctx.allocator().allocate(sizeof(T) * count))) {}
  ~DeviceArray() {
    if (ctx_) ctx_->allocator().release(data_);
  }
  DeviceArray(DeviceArray&& o) noexcept : ctx_(o.ctx_), count_(o.count_), data_(o.data_) { o.ctx_ = nullptr; }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  DeviceArray& operator=(DeviceArray&&) = delete;

  T* data() const { return data_; }
  int64_t count() const { return count_; }
  size_t bytes() const { return sizeof(T) * static_cast<size_t>(count_); }

 private:
  DeviceContext* ctx_;
  int64_t count_;
  T* data_;
};

// Host ↔ device copies on the context's stream. The host side may be
// pageable memory (a JS TypedArray): the copy is then finished when the
// call returns for host → device only after a synchronize; callers
// synchronize before reading device → host results.
void copy_to_device(DeviceContext& ctx, void* device, const void* host, size_t bytes);
void copy_to_host(DeviceContext& ctx, void* host, const void* device, size_t bytes);
void fill_zero(DeviceContext& ctx, void* device, size_t bytes);

// A new device array holding host[0..count) (staged: see stage_to_device).
template <typename T>
DeviceArray<T> upload(DeviceContext& ctx, const T* host, int64_t count) {
  DeviceArray<T> a(ctx, count);
  ctx.stage_to_device(a.data(), host, a.bytes());
  return a;
}

// A recorded point in the stream: elapsed time between two, or a host wait.
class Event {
 public:
  Event();
  ~Event();
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  void record(const DeviceContext& ctx);
  void wait() const;
  // Milliseconds from `start` to this event; both recorded and complete.
  float elapsed_ms_since(const Event& start) const;

 private:
  cudaEvent_t event_ = nullptr;
};

// The work `record` queues on the context's stream, captured once as a CUDA
// graph and launched again as a whole (one launch for all its kernels, so the
// host's per-kernel launch cost drops out of a timing). Captured in relaxed
// mode: the caching allocator may still call cudaMalloc while recording.
// Buffers the work allocates and releases are recorded by address: the
// graph reads and writes them on every launch, so between launches the
// context's stream must run nothing else that could be handed them.
class Graph {
 public:
  Graph(DeviceContext& ctx, const std::function<void()>& record);
  ~Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  void launch();

 private:
  DeviceContext& ctx_;
  cudaGraph_t graph_ = nullptr;
  cudaGraphExec_t exec_ = nullptr;
};

}  // namespace prunas::cuda
