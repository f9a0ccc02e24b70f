#include "cuda/context.h"

#include <cstring>
#include <string>
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

// Contexts are never destroyed (device_context); this is for completeness.
DeviceContext::~DeviceContext() {
  if (staging_) cudaFreeHost(staging_);
}

void DeviceContext::refuse_in_capture(const char* what) const {
  if (capturing_)
    throw_error(std::string(what) + " cannot be part of a CUDA graph (cuda:" + std::to_string(device_) +
                " is capturing one)");
}

void DeviceContext::synchronize(const char* what) {
  refuse_in_capture(what);
  synchronizations_.fetch_add(1, std::memory_order_relaxed);
  const cudaError_t status = cudaStreamSynchronize(stream_);
  if (status != cudaSuccess) throw_cuda(status, what, __FILE__, __LINE__);
  staging_used_ = 0;  // every staged copy has completed
}

void DeviceContext::stage_to_device(void* device, const void* host, size_t bytes) {
  if (bytes == 0) return;
  refuse_in_capture("a host → device copy");
  if (bytes > kStagingBytes) return copy_to_device(*this, device, host, bytes);
  if (!staging_) {
    void* pinned = nullptr;
    PRUNAS_CUDA_CHECK(cudaHostAlloc(&pinned, kStagingBytes, cudaHostAllocDefault));
    staging_ = static_cast<char*>(pinned);
  }
  const size_t offset = (staging_used_ + 255) / 256 * 256;
  if (offset + bytes > kStagingBytes) {
    synchronize("reusing the staging buffer");
    return stage_to_device(device, host, bytes);
  }
  std::memcpy(staging_ + offset, host, bytes);
  PRUNAS_CUDA_CHECK(cudaMemcpyAsync(device, staging_ + offset, bytes, cudaMemcpyHostToDevice, stream_));
  staging_used_ = offset + bytes;
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
  ctx.refuse_in_capture("a host → device copy");
  PRUNAS_CUDA_CHECK(cudaMemcpyAsync(device, host, bytes, cudaMemcpyHostToDevice, ctx.stream()));
}

void copy_to_host(DeviceContext& ctx, void* host, const void* device, size_t bytes) {
  if (bytes == 0) return;
  ctx.refuse_in_capture("a device → host copy");
  PRUNAS_CUDA_CHECK(cudaMemcpyAsync(host, device, bytes, cudaMemcpyDeviceToHost, ctx.stream()));
}

void fill_zero(DeviceContext& ctx, void* device, size_t bytes) {
  if (bytes == 0) return;
  PRUNAS_CUDA_CHECK(cudaMemsetAsync(device, 0, bytes, ctx.stream()));
}

Event::Event() { PRUNAS_CUDA_CHECK(cudaEventCreate(&event_)); }
Event::~Event() { cudaEventDestroy(event_); }
void Event::record(const DeviceContext& ctx) {
  ctx.refuse_in_capture("recording a timing event");
  PRUNAS_CUDA_CHECK(cudaEventRecord(event_, ctx.stream()));
}
void Event::wait() const { PRUNAS_CUDA_CHECK(cudaEventSynchronize(event_)); }
float Event::elapsed_ms_since(const Event& start) const {
  float ms = 0.0f;
  PRUNAS_CUDA_CHECK(cudaEventElapsedTime(&ms, start.event_, event_));
  return ms;
}

Graph::Graph(DeviceContext& ctx, const std::function<void()>& record) : ctx_(ctx) {
  ctx.refuse_in_capture("capturing a CUDA graph");
  PRUNAS_CUDA_CHECK(cudaStreamBeginCapture(ctx.stream(), cudaStreamCaptureModeRelaxed));
  ctx.set_capturing(true);
  try {
    record();
  } catch (...) {
    // leave the stream as it was: end the capture and drop what it holds
    ctx.set_capturing(false);
    cudaGraph_t partial = nullptr;
    cudaStreamEndCapture(ctx.stream(), &partial);
    if (partial) cudaGraphDestroy(partial);
    cudaGetLastError();
    throw;
  }
  ctx.set_capturing(false);
  PRUNAS_CUDA_CHECK(cudaStreamEndCapture(ctx.stream(), &graph_));
  const cudaError_t status = cudaGraphInstantiate(&exec_, graph_, 0);
  if (status != cudaSuccess) {
    cudaGraphDestroy(graph_);
    throw_cuda(status, "cudaGraphInstantiate", __FILE__, __LINE__);
  }
}

Graph::~Graph() {
  cudaGraphExecDestroy(exec_);
  cudaGraphDestroy(graph_);
}

void Graph::launch() { PRUNAS_CUDA_CHECK(cudaGraphLaunch(exec_, ctx_.stream())); }

}  // namespace prunas::cuda
