#include "cuda/allocator.h"

#include <string>

#include "cuda/check.h"

namespace prunas::cuda {

size_t DeviceAllocator::size_class(size_t bytes) {
#ifdef PRUNAS_CUDA_EMULATION
  // Exact sizes on the emulated device: its blocks end where the request
  // ends, so the sanitized build catches a kernel that runs past one.
  return bytes;
#else
  constexpr size_t kSmall = 512, kMiB = size_t{1} << 20, kLarge = 16 * kMiB;
  auto round_up = [](size_t v, size_t step) { return (v + step - 1) / step * step; };
  if (bytes <= kMiB) return round_up(bytes, kSmall);
  if (bytes <= 64 * kMiB) return round_up(bytes, kMiB);
  return round_up(bytes, kLarge);
#endif
}

void* DeviceAllocator::allocate(size_t bytes) {
  if (bytes == 0) return nullptr;
  const size_t size = size_class(bytes);
  void* block = nullptr;
  auto cached = free_.find(size);
  if (cached != free_.end() && !cached->second.empty()) {
    block = cached->second.back();
    cached->second.pop_back();
    stats_.cached -= static_cast<int64_t>(size);
    ++stats_.cache_hits;
  } else {
    PRUNAS_CUDA_CHECK(cudaSetDevice(device_));
    cudaError_t status = cudaMalloc(&block, size);
    if (status == cudaErrorMemoryAllocation && !keep_cache_) {
      cudaGetLastError();
      empty_cache();
      status = cudaMalloc(&block, size);
    }
    if (status == cudaErrorMemoryAllocation) {
      cudaGetLastError();
      throw_range("out of device memory: cudaMalloc of " + std::to_string(size) + " bytes on cuda:" +
                  std::to_string(device_) + " failed with " + std::to_string(stats_.in_use) + " bytes in use");
    }
    check_cuda(status, "cudaMalloc", __FILE__, __LINE__);
    stats_.reserved += static_cast<int64_t>(size);
    ++stats_.driver_allocations;
  }
  live_[block] = size;
  stats_.in_use += static_cast<int64_t>(size);
  if (stats_.in_use > stats_.peak_in_use) stats_.peak_in_use = stats_.in_use;
  return block;
}

void DeviceAllocator::release(void* block) {
  if (block == nullptr) return;
  auto it = live_.find(block);
  if (it == live_.end()) throw_error("DeviceAllocator::release: block was not allocated here");
  const size_t size = it->second;
  live_.erase(it);
  free_[size].push_back(block);
  stats_.in_use -= static_cast<int64_t>(size);
  stats_.cached += static_cast<int64_t>(size);
}

void DeviceAllocator::for_each_cached(const std::function<void(void*, size_t)>& visit) const {
  for (const auto& [size, blocks] : free_)
    for (void* b : blocks) visit(b, size);
}

void DeviceAllocator::empty_cache() {
  cudaSetDevice(device_);
  for (auto& [size, blocks] : free_) {
    for (void* b : blocks) {
      cudaFree(b);  // freeing cached memory cannot meaningfully fail; errors would be sticky ones reported elsewhere
      stats_.reserved -= static_cast<int64_t>(size);
    }
    stats_.cached -= static_cast<int64_t>(size * blocks.size());
    blocks.clear();
  }
  free_.clear();
}

DeviceAllocator::~DeviceAllocator() {
  empty_cache();
  cudaSetDevice(device_);
  for (auto& [block, size] : live_) cudaFree(block);
}

}  // namespace prunas::cuda
