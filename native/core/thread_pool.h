// A fixed-size thread pool with static work splitting. parallel_for cuts
// [0, n) into as many equal contiguous chunks as there are threads, chunk i
// always on thread i, so any per-chunk partial sums combine in a fixed order
// and results do not change from run to run at a given thread count.
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

  // fn(chunk, begin, end) for each of size() chunks (empty chunks skipped).
  // Runs inline when called from inside another parallel_for.
  void run_chunks(int64_t n, const std::function<void(int chunk, int64_t begin, int64_t end)>& fn);

 private:
  void worker_loop(int index);

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
