// The CUDA backend's bindings (napi/cuda_*.cc). init_cuda always exports
// gpuInfo(); the kernels only in builds with CUDA (and the cuDNN/cuBLAS
// layers only where those libraries were found).
#pragma once
#include <napi.h>

namespace prunas::napi {

void init_cuda(Napi::Env env, Napi::Object exports);
// The bf16 kernels of cuda/bf16_kernels.h on float32 host arrays (napi/cuda_bf16.cc).
void init_cuda_bf16(Napi::Env env, Napi::Object exports);
// The bf16 conv and linear layers on float32 host arrays (napi/cuda_bf16_layers.cc).
void init_cuda_bf16_layers(Napi::Env env, Napi::Object exports);

}  // namespace prunas::napi
