#pragma once
#include <string>

namespace prunas {

// Number of usable CUDA devices; 0 without a driver or GPU.
int cuda_device_count();
std::string cuda_device_name(int device);
// CUDA runtime version the addon was built with (e.g. 13000).
int cuda_runtime_version();
// Latest CUDA version the installed driver supports (e.g. 12040); 0 without a driver.
int cuda_driver_version();
// Compute capability "major.minor" and global memory in bytes; "" and 0 when
// the device cannot be queried.
std::string cuda_device_capability(int device);
double cuda_device_memory_bytes(int device);

}  // namespace prunas
