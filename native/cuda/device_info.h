#pragma once
#include <string>

namespace prunas {

// Number of usable CUDA devices; 0 without a driver or GPU.
int cuda_device_count();
std::string cuda_device_name(int device);
// CUDA runtime version the addon was built with (e.g. 13000).
int cuda_runtime_version();

}  // namespace prunas
