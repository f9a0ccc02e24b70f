// The caching device allocator: every device byte of the backend comes from
// here. Freed blocks go to a free list per size class and are handed out
// again without cudaMalloc, so a training step allocates nothing from the
// driver once the first step has warmed the cache. One allocator per device,
// used from that device's single stream: a block released while kernels on
// the stream still read it can only be reused by work queued after them.
// No managed memory, ever.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <vector>

namespace prunas::cuda {

struct AllocatorStats {
  int64_t in_use = 0;        // bytes handed out and not yet released (size classes)
  int64_t cached = 0;        // bytes held in free lists
  int64_t peak_in_use = 0;   // high-water mark of in_use
  int64_t reserved = 0;      // bytes obtained from cudaMalloc and not returned
  int64_t driver_allocations = 0;  // cudaMalloc calls so far
  int64_t cache_hits = 0;          // allocations served from a free list
};

class DeviceAllocator {
 public:
  explicit DeviceAllocator(int device) : device_(device) {}
  ~DeviceAllocator();
  DeviceAllocator(const DeviceAllocator&) = delete;
  DeviceAllocator& operator=(const DeviceAllocator&) = delete;

  // At least `bytes` bytes (0 allowed: returns null), 256-byte aligned.
  // Out of device memory: frees the cache and tries once more, then throws
  // a RangeError naming the size.
  void* allocate(size_t bytes);
  void release(void* block);
  // Returns every cached block to the driver (needs an idle stream).
  void empty_cache();
  // While a CUDA graph is captured its nodes keep the addresses of blocks
  // released during the capture: an allocation that runs out of memory then
  // throws at once instead of returning the cache to the driver.
  void set_keep_cache(bool keep) { keep_cache_ = keep; }
  // Each cached (released) block with its size class.
  void for_each_cached(const std::function<void(void*, size_t)>& visit) const;
  const AllocatorStats& stats() const { return stats_; }

  // The size class of a request: 512-byte steps up to 1 MiB, then 1 MiB
  // steps up to 64 MiB, then 16 MiB steps.
  static size_t size_class(size_t bytes);

 private:
  int device_;
  std::map<size_t, std::vector<void*>> free_;   // size class → cached blocks
  std::unordered_map<void*, size_t> live_;      // handed-out block → its size class
  AllocatorStats stats_;
  bool keep_cache_ = false;
};

}  // namespace prunas::cuda
