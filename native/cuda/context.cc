#include "cuda/context.h"

#include <memory>
#include <vector>

#include "cuda/check.h"
#include "cuda/device_info.h"

namespace prunas::cuda {

DeviceContext::DeviceContext(int device) : device_(device), allocator_(device) {
  PRUNAS_CUDA_CHECK(cudaSetDevice(device));
  PRUNAS_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
}

void DeviceContext::activate() const { PRUNAS_CUDA_CHECK(cudaSetDevice(device_)); }

void DeviceContext::synchronize(const char* what) const {
  const cudaError_t status = cudaStreamSynchronize(stream_);
  if (status != cudaSuccess) throw_cuda(status, what, __FILE__, __LINE__);
}

DeviceContext& device_context(int device) {
  static std::mutex mutex;
  static std::vector<DeviceContext*>* contexts = new std::vector<DeviceContext*>();  // never destroyed
  std::lock_guard<std::mutex> lock(mutex);
  const int count = cuda_device_count();
  if (device < 0 || device >= count)
    throw_range("cuda:" + std::to_string(device) + " is not present (" + std::to_string(count) +
                " CUDA device" + (count == 1 ? "" : "s") + " found)");
  if (contexts->size() < static_cast<size_t>(count)) contexts->resize(count, nullptr);
  if ((*contexts)[device] == nullptr) (*contexts)[device] = new DeviceContext(device);
  return *(*contexts)[device];
}

void copy_to_device(DeviceContext& ctx, void* device, const void* host, size_t bytes) {
  if (bytes == 0) return;
  PRUNAS_CUDA_CHECK(cudaMemcpyAsync(device, host, bytes, cudaMemcpyHostToDevice, ctx.stream()));
}

void copy_to_host(DeviceContext& ctx, void* host, const void* device, size_t bytes) {
  if (bytes == 0) return;
  PRUNAS_CUDA_CHECK(cudaMemcpyAsync(host, device, bytes, cudaMemcpyDeviceToHost, ctx.stream()));
}

void fill_zero(DeviceContext& ctx, void* device, size_t bytes) {
  if (bytes == 0) return;
  PRUNAS_CUDA_CHECK(cudaMemsetAsync(device, 0, bytes, ctx.stream()));
}

Event::Event() { PRUNAS_CUDA_CHECK(cudaEventCreate(&event_)); }
Event::~Event() { cudaEventDestroy(event_); }
void Event::record(const DeviceContext& ctx) { PRUNAS_CUDA_CHECK(cudaEventRecord(event_, ctx.stream())); }
void Event::wait() const { PRUNAS_CUDA_CHECK(cudaEventSynchronize(event_)); }
float Event::elapsed_ms_since(const Event& start) const {
  float ms = 0.0f;
  PRUNAS_CUDA_CHECK(cudaEventElapsedTime(&ms, start.event_, event_));
  return ms;
}

}  // namespace prunas::cuda
