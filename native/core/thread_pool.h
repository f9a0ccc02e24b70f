// A fixed-size thread pool with static work splitting. parallel_for cuts
// [0, n) into as many equal contiguous chunks as there are threads; each
// chunk's bounds depend only on n and the thread count, so per-chunk partial
// sums combine in a fixed order and results do not change from run to run.
// Which thread runs a chunk is not fixed: the caller and the workers claim
// chunks from a shared ticket, so a worker the OS has descheduled does not
// stall the call while the others sit idle.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace prunas {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // fn(chunk, begin, end) for each of size() chunks (empty chunks skipped),
  // each chunk exactly once, on whichever thread claims it.
  // Runs inline when called from inside another parallel_for.
  void run_chunks(int64_t n, const std::function<void(int chunk, int64_t begin, int64_t end)>& fn);

 private:
  void worker_loop();
  // Claims and runs chunks of the job of `generation` until none are left.
  void run_claimed(uint32_t generation, const std::function<void(int, int64_t, int64_t)>& fn, int64_t n);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::mutex submit_mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int, int64_t, int64_t)>* job_ = nullptr;
  int64_t job_n_ = 0;
  // Workers and the caller spin briefly on these before sleeping: a kernel
  // call dispatches work every few microseconds and a futex wake costs more.
  std::atomic<uint64_t> generation_{0};
  // (generation << 32) | next chunk: a claim is valid only for its own job,
  // so a worker that wakes late cannot take a chunk of a newer job.
  std::atomic<uint64_t> ticket_{0};
  // chunks of the current job not yet finished
  std::atomic<int> pending_{0};
  std::atomic<bool> stopping_{false};
};

// The process-wide pool used by every CPU kernel.
ThreadPool& cpu_pool();
// Resizes the process-wide pool; threads <= 0 means one per hardware core.
void set_cpu_threads(int threads);
int cpu_threads();

// Convenience: fn(begin, end) over static chunks of [0, n).
// min_chunk avoids waking threads for tiny loops.
void parallel_for(int64_t n, const std::function<void(int64_t begin, int64_t end)>& fn, int64_t min_chunk = 1);

// Static chunks with their index, for kernels that keep per-chunk partials.
// Returns the number of chunks used; fn(chunk, begin, end).
int parallel_chunks(int64_t n, const std::function<void(int chunk, int64_t begin, int64_t end)>& fn,
                    int64_t min_chunk = 1);

}  // namespace prunas
