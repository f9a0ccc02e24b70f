// The emulated CUDA runtime and kernel launches (see emulation.h and
// cuda_runtime.h).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cuda_runtime.h"

uint3 threadIdx{0, 0, 0};
uint3 blockIdx{0, 0, 0};
dim3 blockDim;
dim3 gridDim;

struct EmulatedStream {
  unsigned flags;
};
struct EmulatedEvent {
  std::chrono::steady_clock::time_point time;
  bool recorded = false;
};
struct EmulatedGraph {
  std::vector<std::function<void()>> nodes;  // the captured work, in stream order
};
struct EmulatedGraphExec {
  std::vector<std::function<void()>> nodes;
};

namespace {

constexpr size_t kAlignment = 256;
constexpr unsigned char kPoison = 0xff;  // fresh device memory reads as NaN (float, bf16) or -1 (int)

thread_local cudaError_t last_error = cudaSuccess;

// Device memory: live blocks by start address, and a fault (a kernel given a
// host pointer) waiting to be reported by the next synchronization.
std::mutex memory_mutex;
std::map<uintptr_t, size_t> device_blocks;
std::set<void*> pinned_blocks;
size_t device_bytes_in_use = 0;
cudaError_t pending_fault = cudaSuccess;

size_t device_capacity() {
  static const size_t capacity = [] {
    const char* text = std::getenv("PRUNAS_EMULATED_DEVICE_MEMORY");
    const unsigned long long bytes = text ? std::strtoull(text, nullptr, 10) : 0;
    return bytes > 0 ? static_cast<size_t>(bytes) : size_t{8} << 30;
  }();
  return capacity;
}

cudaError_t fail(cudaError_t status) {
  last_error = status;
  return status;
}

// Whether [p, p + bytes) lies inside one live device block (memory_mutex held).
bool device_range(const void* p, size_t bytes) {
  const auto address = reinterpret_cast<uintptr_t>(p);
  auto it = device_blocks.upper_bound(address);
  if (it == device_blocks.begin()) return false;
  --it;
  return address >= it->first && address + bytes <= it->first + it->second;
}

// Whether no live device block overlaps [p, p + bytes) (memory_mutex held; bytes > 0).
bool host_range(const void* p, size_t bytes) {
  const auto address = reinterpret_cast<uintptr_t>(p);
  auto it = device_blocks.upper_bound(address + bytes - 1);
  if (it == device_blocks.begin()) return true;
  --it;  // the last block starting inside or before the range
  return it->first + it->second <= address;
}

void set_pending_fault() {
  std::lock_guard<std::mutex> lock(memory_mutex);
  pending_fault = cudaErrorIllegalAddress;
}

cudaError_t take_pending_fault() {
  std::lock_guard<std::mutex> lock(memory_mutex);
  const cudaError_t fault = pending_fault;
  pending_fault = cudaSuccess;
  return fault;
}

using prunas_emulation::report;

// ---- stream capture: one at a time ----

struct Capture {
  cudaStream_t stream = nullptr;
  std::vector<std::function<void()>> nodes;
  bool invalidated = false;
};
std::mutex capture_mutex;
std::unique_ptr<Capture> capture;           // the capture in progress, if any
std::atomic<bool> capture_active{false};  // capture != nullptr, read without the lock on every launch

// A call that may not run while a stream is captured (a synchronization, an
// event): invalidates the capture and returns true if there is one.
bool refused_in_capture(const char* call) {
  if (!capture_active.load(std::memory_order_acquire)) return false;
  std::lock_guard<std::mutex> lock(capture_mutex);
  if (!capture) return false;
  report(std::string(call) + " during a stream capture: the capture is invalidated");
  capture->invalidated = true;
  return true;
}

// ---- threads of a block ----

struct NeedsBarrier {};  // __syncthreads in a block run without fibers

uint3 thread_index(unsigned t, dim3 block) {
  return {t % block.x, (t / block.x) % block.y, t / (block.x * block.y)};
}

// ---- fibers: a stack per thread of a block and a switch between them ----
//
// On x86-64 a switch saves the callee-saved registers on the running stack
// and loads the other stack, without the signal-mask system call of
// ucontext's switch; elsewhere ucontext. Under AddressSanitizer every switch
// tells it which stack is being entered (its fiber interface), and a stack
// is unpoisoned before a new fiber starts on it: the frames a finished fiber
// left behind never returned.

#if defined(__SANITIZE_ADDRESS__)
}  // namespace
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
namespace {
void asan_leaving(void** fake_stack, const void* to_stack, size_t to_bytes) {
  __sanitizer_start_switch_fiber(fake_stack, to_stack, to_bytes);
}
void asan_arrived(void* fake_stack, const void** from_stack, size_t* from_bytes) {
  __sanitizer_finish_switch_fiber(fake_stack, from_stack, from_bytes);
}
void asan_unpoison(void* address, size_t bytes) { ASAN_UNPOISON_MEMORY_REGION(address, bytes); }
#else
void asan_leaving(void**, const void*, size_t) {}
void asan_arrived(void*, const void**, size_t*) {}
void asan_unpoison(void*, size_t) {}
#endif

#if defined(__x86_64__) && !defined(PRUNAS_EMULATION_UCONTEXT)
extern "C" void prunas_emulation_switch(void** save_sp, void* load_sp);
asm(R"(
  .text
  .globl prunas_emulation_switch
  .hidden prunas_emulation_switch
  .type prunas_emulation_switch, @function
prunas_emulation_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size prunas_emulation_switch, .-prunas_emulation_switch
)");

struct Context {
  void* sp = nullptr;
  const void* stack = nullptr;  // bounds, for AddressSanitizer
  size_t stack_bytes = 0;
};
void prepare(Context& c, char* stack, size_t bytes, void (*entry)()) {
  asan_unpoison(stack, bytes);
  auto top = reinterpret_cast<uintptr_t>(stack + bytes) & ~uintptr_t{15};
  auto* slots = reinterpret_cast<void**>(top);
  slots[-1] = nullptr;                               // entry's return address: it never returns
  slots[-2] = reinterpret_cast<void*>(entry);        // where the first switch "returns" to
  for (int r = 3; r <= 8; ++r) slots[-r] = nullptr;  // rbp, rbx, r12–r15
  c.sp = &slots[-8];
  c.stack = stack;
  c.stack_bytes = bytes;
}
void raw_switch(Context& from, Context& to) { prunas_emulation_switch(&from.sp, to.sp); }
#else
}  // namespace
#include <ucontext.h>
namespace {
struct Context {
  ucontext_t uc{};
  const void* stack = nullptr;
  size_t stack_bytes = 0;
};
void prepare(Context& c, char* stack, size_t bytes, void (*entry)()) {
  asan_unpoison(stack, bytes);
  getcontext(&c.uc);
  c.uc.uc_stack.ss_sp = stack;
  c.uc.uc_stack.ss_size = bytes;
  c.uc.uc_link = nullptr;  // entry never returns
  makecontext(&c.uc, entry, 0);
  c.stack = stack;
  c.stack_bytes = bytes;
}
void raw_switch(Context& from, Context& to) { swapcontext(&from.uc, &to.uc); }
#endif

// Switches from the running context to `to`; returns when something
// switches back. `leaving`: the running fiber has finished for good.
void switch_context(Context& from, Context& to, bool leaving = false) {
  void* fake_stack = nullptr;
  asan_leaving(leaving ? nullptr : &fake_stack, to.stack, to.stack_bytes);
  raw_switch(from, to);
  asan_arrived(fake_stack, nullptr, nullptr);
}

// One block on fibers: each pass resumes every unfinished thread in order
// until it reaches a barrier or ends; a pass is one barrier interval.
struct FiberBlock {
  static constexpr size_t kStackBytes = size_t{64} << 10;
  const std::function<void()>* body = nullptr;
  Context scheduler;
  std::vector<Context> contexts;
  std::vector<std::unique_ptr<char[]>> stacks;
  std::vector<char> done;
  unsigned current = 0;
  std::string error;
  bool in_fibers = false;
};

// The running launch's state, and the kernels seen calling __syncthreads
// (launch_mutex held).
std::mutex launch_mutex;
FiberBlock fibers;
bool direct_block = false;
std::set<const void*> barrier_kernels;

[[noreturn]] void fiber_entry() {
  // first entry: learn the scheduler's stack (the thread's own), to switch back
  asan_arrived(nullptr, &fibers.scheduler.stack, &fibers.scheduler.stack_bytes);
  try {
    (*fibers.body)();
  } catch (const std::exception& e) {
    if (fibers.error.empty()) fibers.error = e.what();
  } catch (...) {
    if (fibers.error.empty()) fibers.error = "an exception";
  }
  fibers.done[fibers.current] = 1;
  switch_context(fibers.contexts[fibers.current], fibers.scheduler, true);
  std::abort();  // a finished fiber is never resumed
}

std::string run_block_on_fibers(const std::function<void()>& body, dim3 block) {
  const unsigned threads = block.x * block.y * block.z;
  fibers.body = &body;
  fibers.error.clear();
  fibers.contexts.resize(threads);
  fibers.done.assign(threads, 0);
  while (fibers.stacks.size() < threads) fibers.stacks.emplace_back(new char[FiberBlock::kStackBytes]);
  for (unsigned t = 0; t < threads; ++t)
    prepare(fibers.contexts[t], fibers.stacks[t].get(), FiberBlock::kStackBytes, fiber_entry);
  fibers.in_fibers = true;
  unsigned remaining = threads;
  while (remaining > 0) {
    for (unsigned t = 0; t < threads; ++t) {
      if (fibers.done[t]) continue;
      threadIdx = thread_index(t, block);
      fibers.current = t;
      switch_context(fibers.scheduler, fibers.contexts[t]);
      if (fibers.done[t]) --remaining;
    }
  }
  fibers.in_fibers = false;
  return fibers.error;
}

}  // namespace

void __syncthreads() {
  if (direct_block) throw NeedsBarrier{};
  if (!fibers.in_fibers) return;
  switch_context(fibers.contexts[fibers.current], fibers.scheduler);
}

namespace prunas_emulation {

void report(const std::string& message) { std::fprintf(stderr, "[prunas cuda emulation] %s\n", message.c_str()); }

bool is_device_pointer(const void* p) {
  std::lock_guard<std::mutex> lock(memory_mutex);
  return device_range(p, 0);
}

bool is_device_range(const void* p, size_t bytes) {
  std::lock_guard<std::mutex> lock(memory_mutex);
  return device_range(p, bytes);
}

bool is_capturing(cudaStream_t stream) {
  if (!capture_active.load(std::memory_order_acquire)) return false;
  std::lock_guard<std::mutex> lock(capture_mutex);
  return capture && capture->stream == stream;
}

bool record_if_capturing(cudaStream_t stream, const std::string& what, std::function<void()> node) {
  if (!capture_active.load(std::memory_order_acquire)) return false;
  std::lock_guard<std::mutex> lock(capture_mutex);
  if (!capture) return false;
  if (stream != capture->stream) {
    report(what + ": queued on another stream while a stream is captured; the capture is invalidated");
    capture->invalidated = true;
    fail(cudaErrorStreamCaptureImplicit);
  } else if (capture->invalidated) {
    fail(cudaErrorStreamCaptureInvalidated);
  } else {
    capture->nodes.push_back(std::move(node));
  }
  return true;
}

std::string Launch::where() const {
  return std::string("launch of ") + kernel_ + " at " + file_ + ":" + std::to_string(line_);
}

void Launch::fault_host_pointer(int position) const {
  report(where() + ": argument " + std::to_string(position + 1) + " is not device memory");
  set_pending_fault();
}

void Launch::execute(const void* kernel, const std::function<void()>& thread_body) const {
  const uint64_t threads = uint64_t{block_.x} * block_.y * block_.z;
  if (threads == 0 || threads > 1024 || block_.z > 64 || grid_.x == 0 || grid_.y == 0 || grid_.z == 0 ||
      grid_.x > 2147483647u || grid_.y > 65535 || grid_.z > 65535 || shared_bytes_ > 48 * 1024) {
    report(where() + ": invalid configuration");
    fail(cudaErrorInvalidConfiguration);
    return;
  }
  std::lock_guard<std::mutex> lock(launch_mutex);
  gridDim = grid_;
  blockDim = block_;
  bool on_fibers = barrier_kernels.count(kernel) > 0;
  for (unsigned bz = 0; bz < grid_.z; ++bz)
    for (unsigned by = 0; by < grid_.y; ++by)
      for (unsigned bx = 0; bx < grid_.x; ++bx) {
        blockIdx = {bx, by, bz};
        if (!on_fibers) {
          // Until a kernel calls __syncthreads its threads run as plain
          // calls; the block that first calls it reruns on fibers (its
          // threads before the barrier only wrote what they write again).
          direct_block = true;
          try {
            for (unsigned t = 0; t < threads; ++t) {
              threadIdx = thread_index(t, block_);
              thread_body();
            }
            direct_block = false;
            continue;
          } catch (const NeedsBarrier&) {
            direct_block = false;
            barrier_kernels.insert(kernel);
            on_fibers = true;
          } catch (...) {
            direct_block = false;
            throw;
          }
        }
        const std::string error = run_block_on_fibers(thread_body, block_);
        if (!error.empty()) {
          report(where() + ": " + error);
          set_pending_fault();
          return;
        }
      }
}

}  // namespace prunas_emulation

// ---- errors ----

const char* cudaGetErrorName(cudaError_t status) {
  switch (status) {
    case cudaSuccess: return "cudaSuccess";
    case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
    case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
    case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
    case cudaErrorInvalidDevicePointer: return "cudaErrorInvalidDevicePointer";
    case cudaErrorInvalidResourceHandle: return "cudaErrorInvalidResourceHandle";
    case cudaErrorInvalidDevice: return "cudaErrorInvalidDevice";
    case cudaErrorIllegalAddress: return "cudaErrorIllegalAddress";
    case cudaErrorIllegalState: return "cudaErrorIllegalState";
    case cudaErrorStreamCaptureUnsupported: return "cudaErrorStreamCaptureUnsupported";
    case cudaErrorStreamCaptureInvalidated: return "cudaErrorStreamCaptureInvalidated";
    case cudaErrorStreamCaptureImplicit: return "cudaErrorStreamCaptureImplicit";
  }
  return "cudaErrorUnknown";
}

const char* cudaGetErrorString(cudaError_t status) {
  switch (status) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorInvalidDevicePointer: return "invalid device pointer";
    case cudaErrorInvalidResourceHandle: return "invalid resource handle";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
    case cudaErrorIllegalAddress: return "an illegal memory access was encountered (emulated)";
    case cudaErrorIllegalState: return "the operation cannot be performed in the present state";
    case cudaErrorStreamCaptureUnsupported: return "operation not permitted when stream is capturing";
    case cudaErrorStreamCaptureInvalidated: return "operation failed due to a previous error during capture";
    case cudaErrorStreamCaptureImplicit: return "operation would make the legacy stream depend on a capturing blocking stream";
  }
  return "unknown error";
}

cudaError_t cudaGetLastError() {
  const cudaError_t status = last_error;
  last_error = cudaSuccess;
  return status;
}

// ---- the device ----

cudaError_t cudaGetDeviceCount(int* count) {
  *count = 1;
  return cudaSuccess;
}

cudaError_t cudaSetDevice(int device) { return device == 0 ? cudaSuccess : fail(cudaErrorInvalidDevice); }

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device) {
  if (device != 0) return fail(cudaErrorInvalidDevice);
  *prop = cudaDeviceProp{};
  std::snprintf(prop->name, sizeof prop->name, "prunas host emulation (CPU)");
  prop->totalGlobalMem = device_capacity();
  prop->major = 9;
  prop->minor = 0;
  prop->multiProcessorCount = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  prop->maxThreadsPerBlock = 1024;
  prop->warpSize = 32;
  return cudaSuccess;
}

cudaError_t cudaRuntimeGetVersion(int* version) {
  *version = 0;  // no CUDA runtime: the version fields of reports read 0
  return cudaSuccess;
}

cudaError_t cudaDriverGetVersion(int* version) {
  *version = 0;
  return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() {
  if (refused_in_capture("a synchronization")) return fail(cudaErrorStreamCaptureUnsupported);
  const cudaError_t fault = take_pending_fault();
  return fault == cudaSuccess ? cudaSuccess : fail(fault);
}

// ---- memory ----

cudaError_t cudaMalloc(void** pointer, size_t bytes) {
  *pointer = nullptr;
  std::lock_guard<std::mutex> lock(memory_mutex);
  if (bytes > device_capacity() - device_bytes_in_use) return fail(cudaErrorMemoryAllocation);
  void* block = nullptr;
  // exactly `bytes` (at least 1): under AddressSanitizer the block ends where the request does
  if (posix_memalign(&block, kAlignment, std::max<size_t>(bytes, 1)) != 0) return fail(cudaErrorMemoryAllocation);
  std::memset(block, kPoison, bytes);
  device_blocks[reinterpret_cast<uintptr_t>(block)] = bytes;
  device_bytes_in_use += bytes;
  *pointer = block;
  return cudaSuccess;
}

cudaError_t cudaFree(void* pointer) {
  if (!pointer) return cudaSuccess;
  if (capture_active.load(std::memory_order_acquire)) {
    // stricter than CUDA's relaxed capture mode, which allows it: the graph's
    // nodes may hold the block's address, and a launch would use freed memory
    report("cudaFree while a stream is captured");
    return fail(cudaErrorStreamCaptureUnsupported);
  }
  std::lock_guard<std::mutex> lock(memory_mutex);
  auto it = device_blocks.find(reinterpret_cast<uintptr_t>(pointer));
  if (it == device_blocks.end()) return fail(cudaErrorInvalidDevicePointer);
  device_bytes_in_use -= it->second;
  device_blocks.erase(it);
  std::free(pointer);
  return cudaSuccess;
}

cudaError_t cudaHostAlloc(void** pointer, size_t bytes, unsigned /*flags*/) {
  *pointer = std::malloc(std::max<size_t>(bytes, 1));
  if (!*pointer) return fail(cudaErrorMemoryAllocation);
  std::lock_guard<std::mutex> lock(memory_mutex);
  pinned_blocks.insert(*pointer);
  return cudaSuccess;
}

cudaError_t cudaFreeHost(void* pointer) {
  std::lock_guard<std::mutex> lock(memory_mutex);
  if (pinned_blocks.erase(pointer) == 0) return fail(cudaErrorInvalidValue);
  std::free(pointer);
  return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t stream) {
  if (bytes == 0) return cudaSuccess;
  {
    std::lock_guard<std::mutex> lock(memory_mutex);
    const bool dst_device = device_range(dst, bytes), src_device = device_range(src, bytes);
    const bool dst_host = host_range(dst, bytes), src_host = host_range(src, bytes);
    bool valid = false;
    switch (kind) {
      case cudaMemcpyHostToDevice: valid = dst_device && src_host; break;
      case cudaMemcpyDeviceToHost: valid = dst_host && src_device; break;
      case cudaMemcpyDeviceToDevice: valid = dst_device && src_device; break;
      case cudaMemcpyHostToHost: valid = dst_host && src_host; break;
      case cudaMemcpyDefault: valid = (dst_device || dst_host) && (src_device || src_host); break;
    }
    if (!valid) {
      report("cudaMemcpyAsync of " + std::to_string(bytes) + " bytes, kind " + std::to_string(kind) +
             ": a side is not memory of that kind, or the range leaves its device block");
      return fail(cudaErrorInvalidValue);
    }
  }
  if (prunas_emulation::record_if_capturing(stream, "cudaMemcpyAsync", [=] { std::memmove(dst, src, bytes); }))
    return cudaGetLastError();
  std::memmove(dst, src, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemsetAsync(void* pointer, int value, size_t bytes, cudaStream_t stream) {
  if (bytes == 0) return cudaSuccess;
  {
    std::lock_guard<std::mutex> lock(memory_mutex);
    if (!device_range(pointer, bytes)) {
      report("cudaMemsetAsync of " + std::to_string(bytes) + " bytes outside device memory");
      return fail(cudaErrorInvalidValue);
    }
  }
  if (prunas_emulation::record_if_capturing(stream, "cudaMemsetAsync", [=] { std::memset(pointer, value, bytes); }))
    return cudaGetLastError();
  std::memset(pointer, value, bytes);
  return cudaSuccess;
}

// ---- streams and events (work is complete when its call returns) ----

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned flags) {
  *stream = new EmulatedStream{flags};
  return cudaSuccess;
}

cudaError_t cudaStreamSynchronize(cudaStream_t) { return cudaDeviceSynchronize(); }

cudaError_t cudaEventCreate(cudaEvent_t* event) {
  *event = new EmulatedEvent{};
  return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t event) {
  delete event;
  return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t) {
  if (!event) return fail(cudaErrorInvalidResourceHandle);
  // CUDA records an event into a capture (a dependency); no timing can use it
  if (refused_in_capture("cudaEventRecord")) return fail(cudaErrorStreamCaptureUnsupported);
  event->time = std::chrono::steady_clock::now();
  event->recorded = true;
  return cudaSuccess;
}

cudaError_t cudaEventSynchronize(cudaEvent_t event) {
  if (!event) return fail(cudaErrorInvalidResourceHandle);
  return cudaDeviceSynchronize();
}

cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
  if (!start || !end || !start->recorded || !end->recorded) return fail(cudaErrorInvalidResourceHandle);
  *ms = std::chrono::duration<float, std::milli>(end->time - start->time).count();
  return cudaSuccess;
}

// ---- capture and graphs ----

cudaError_t cudaStreamBeginCapture(cudaStream_t stream, cudaStreamCaptureMode) {
  if (!stream) return fail(cudaErrorStreamCaptureUnsupported);  // the legacy stream cannot be captured
  std::lock_guard<std::mutex> lock(capture_mutex);
  if (capture) return fail(cudaErrorIllegalState);
  capture = std::make_unique<Capture>();
  capture->stream = stream;
  capture_active.store(true, std::memory_order_release);
  return cudaSuccess;
}

cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t* graph) {
  *graph = nullptr;
  std::lock_guard<std::mutex> lock(capture_mutex);
  if (!capture || capture->stream != stream) return fail(cudaErrorIllegalState);
  std::unique_ptr<Capture> ended = std::move(capture);
  capture_active.store(false, std::memory_order_release);
  if (ended->invalidated) return fail(cudaErrorStreamCaptureInvalidated);
  *graph = new EmulatedGraph{std::move(ended->nodes)};
  return cudaSuccess;
}

cudaError_t cudaGraphInstantiate(cudaGraphExec_t* exec, cudaGraph_t graph, unsigned long long) {
  *exec = nullptr;
  if (!graph) return fail(cudaErrorInvalidValue);
  *exec = new EmulatedGraphExec{graph->nodes};
  return cudaSuccess;
}

cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t) {
  if (!exec) return fail(cudaErrorInvalidValue);
  if (refused_in_capture("cudaGraphLaunch")) return fail(cudaErrorStreamCaptureUnsupported);
  for (const auto& node : exec->nodes) node();
  return cudaGetLastError();
}

cudaError_t cudaGraphExecDestroy(cudaGraphExec_t exec) {
  delete exec;
  return cudaSuccess;
}

cudaError_t cudaGraphDestroy(cudaGraph_t graph) {
  delete graph;
  return cudaSuccess;
}
