// The CUDA backend's bindings (napi/cuda_*.cc). init_cuda always exports
// gpuInfo(); the kernels only in builds with CUDA (and the cuDNN/cuBLAS
// layers only where those libraries were found).
#pragma once
#include <napi.h>

namespace prunas::napi {

void init_cuda(Napi::Env env, Napi::Object exports);

}  // namespace prunas::napi
