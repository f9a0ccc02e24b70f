// Every CUDA runtime call goes through PRUNAS_CUDA_CHECK: a failure becomes a
// prunas::Error whose message names the call, the CUDA error and where it
// happened, so napi/ turns it into a JS Error instead of aborting. Kernel
// launches are checked with check_launch right after the <<<...>>>.
#pragma once
#include <cuda_runtime.h>

#include <string>

#include "core/error.h"

namespace prunas::cuda {

[[noreturn]] inline void throw_cuda(cudaError_t status, const char* call, const char* file, int line) {
  cudaGetLastError();  // a non-sticky error must not surface again at the next check
  const std::string message = std::string(call) + " failed: " + cudaGetErrorName(status) + " (" +
                              cudaGetErrorString(status) + ") at " + file + ":" + std::to_string(line);
  if (status == cudaErrorMemoryAllocation) throw_range(message);
  throw_error(message);
}

inline void check_cuda(cudaError_t status, const char* call, const char* file, int line) {
  if (status != cudaSuccess) throw_cuda(status, call, file, line);
}

}  // namespace prunas::cuda

#define PRUNAS_CUDA_CHECK(call) ::prunas::cuda::check_cuda((call), #call, __FILE__, __LINE__)
// After a kernel launch: configuration errors show up here, not at the launch.
#define PRUNAS_CHECK_LAUNCH(kernel) \
  ::prunas::cuda::check_cuda(cudaGetLastError(), "launch of " kernel, __FILE__, __LINE__)
