// Every CUDA runtime call goes through PRUNAS_CUDA_CHECK: a failure becomes a
// prunas::Error whose message names the call, the CUDA error and where it
// happened, so napi/ turns it into a JS Error instead of aborting. Kernel
// launches are checked with check_launch right after the <<<...>>>.
#pragma once
#include <cuda_runtime.h>

#include <cstring>
#include <string>

#include "core/error.h"

namespace prunas::cuda {

// Where a failed call is, for its message: the function called, not the
// whole argument list ("cublasGemmEx", not "cublasGemmEx(handle, ...)"),
// and the source file from native/ on, not the build machine's path.
inline std::string failed_call(const char* call, const char* file, int line) {
  const char* open = std::strchr(call, '(');
  const char* from_native = nullptr;  // the last "native/": the checkout's own path may hold one too
  for (const char* p = std::strstr(file, "native/"); p; p = std::strstr(p + 1, "native/")) from_native = p;
  return (open ? std::string(call, open) : std::string(call)) + " failed at " +
         (from_native ? from_native : file) + ":" + std::to_string(line) + ": ";
}

[[noreturn]] inline void throw_cuda(cudaError_t status, const char* call, const char* file, int line) {
  cudaGetLastError();  // a non-sticky error must not surface again at the next check
  const std::string message =
      failed_call(call, file, line) + cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")";
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
