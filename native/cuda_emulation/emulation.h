// The CUDA C++ subset native/cuda uses, for the host: with these headers in
// front of the include path, the backend's .cu files (rewritten by
// host_source.mjs) and .cc files compile with the host compiler, and every
// kernel runs on the CPU. Purpose: the GPU code's logic (indexing, chunking,
// launch sizes, the host ↔ device protocol) runs in every test run on
// machines without a GPU, against the CPU backend.
//
// Execution model: a launch runs to completion before it returns (the stream
// is synchronous). The blocks of a grid run one after another; a block's
// threads run in order, each to its end, until a kernel calls
// __syncthreads: that kernel's launches then run every thread of a block on
// its own fiber, switching at each barrier. Timing, concurrency and races
// between threads are not emulated (compute-sanitizer on a GPU checks
// those); device memory is host memory that the runtime tracks, so a kernel
// given a host pointer, or a copy given the wrong direction, fails loudly.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static  // launches run one at a time (Launch::run)
#define __restrict__ __restrict

struct uint3 {
  unsigned x, y, z;
};

struct dim3 {
  unsigned x, y, z;
  constexpr dim3(unsigned vx = 1, unsigned vy = 1, unsigned vz = 1) : x(vx), y(vy), z(vz) {}
};

// The built-in indices of the running thread (set by the emulator before it
// runs or resumes a thread). Plain globals, like __shared__ arrays: one
// launch runs at a time in the process, and thread-local storage would
// cost a call per access in the kernels' loops.
extern uint3 threadIdx;
extern uint3 blockIdx;
extern dim3 blockDim;
extern dim3 gridDim;

void __syncthreads();

// Device math the kernels call unqualified, with CUDA's mixed-type overloads.
template <typename A, typename B>
constexpr std::common_type_t<A, B> min(A a, B b) {
  return b < a ? b : a;
}
template <typename A, typename B>
constexpr std::common_type_t<A, B> max(A a, B b) {
  return a < b ? b : a;
}
inline float rsqrtf(float v) { return 1.0f / std::sqrt(v); }
// Rounded on their own, never contracted into an FMA with their neighbours.
__attribute__((noinline)) inline float __fmul_rn(float a, float b) { return a * b; }
__attribute__((noinline)) inline float __fadd_rn(float a, float b) { return a + b; }
inline float __expf(float v) { return std::exp(v); }
inline float __logf(float v) { return std::log(v); }

typedef struct EmulatedStream* cudaStream_t;

namespace prunas_emulation {

// One line on stderr, "[prunas cuda emulation] message": what the emulation
// refused, beside the error code the call returns.
void report(const std::string& message);

// Whether p lies inside a live device allocation (cudaMalloc).
bool is_device_pointer(const void* p);
// Whether [p, p + bytes) lies inside one live device allocation.
bool is_device_range(const void* p, size_t bytes);

// Whether `stream` is being captured into a graph.
bool is_capturing(cudaStream_t stream);

// While a stream is being captured (cudaStreamBeginCapture), work queued on
// it becomes a node of its graph instead of running: true when `node` was
// taken that way (or refused: work queued on another stream during a capture
// fails and invalidates the capture, as CUDA's implicit synchronization with
// a capturing stream does), false when nothing is being captured.
bool record_if_capturing(cudaStream_t stream, const std::string& what, std::function<void()> node);

class Launch {
 public:
  // Launches run in order whatever their stream; the stream matters only to
  // a capture (record_if_capturing).
  Launch(const char* kernel, const char* file, int line, dim3 grid, dim3 block, size_t shared_bytes = 0,
         cudaStream_t stream = nullptr)
      : kernel_(kernel),
        file_(file),
        line_(line),
        grid_(grid),
        block_(block),
        shared_bytes_(shared_bytes),
        stream_(stream) {}

  // Runs kernel(args...) over the grid, one launch at a time in the process
  // (launches from other host threads wait); errors go where CUDA puts them
  // (cudaGetLastError for the configuration, the next synchronization for
  // a fault such as a host pointer handed to the kernel).
  template <typename... Params, typename... Args>
  void run(void (*kernel)(Params...), Args&&... args) const {
    static_assert(sizeof...(Params) == sizeof...(Args), "kernel argument count");
    std::tuple<std::decay_t<Params>...> params(static_cast<std::decay_t<Params>>(std::forward<Args>(args))...);
    int position = 0, bad = -1;
    std::apply([&](const auto&... p) { ((check_argument(p, position++, bad)), ...); }, params);
    if (bad >= 0) return fault_host_pointer(bad);
    const void* key = reinterpret_cast<const void*>(kernel);
    const Launch self = *this;
    if (record_if_capturing(stream_, where(), [self, key, kernel, params] {
          self.execute(key, [&] { std::apply(kernel, params); });
        }))
      return;
    execute(key, [&] { std::apply(kernel, params); });
  }

 private:
  template <typename P>
  static void check_argument(const P& p, int position, int& bad) {
    if constexpr (std::is_pointer_v<P>)
      if (p != nullptr && bad < 0 && !is_device_pointer(p)) bad = position;
  }
  std::string where() const;  // "launch of K at FILE:LINE"
  void fault_host_pointer(int position) const;
  void execute(const void* kernel, const std::function<void()>& thread_body) const;

  const char* kernel_;
  const char* file_;
  int line_;
  dim3 grid_, block_;
  size_t shared_bytes_;
  cudaStream_t stream_;
};

}  // namespace prunas_emulation
