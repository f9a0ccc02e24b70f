#include "thread_pool.h"

#include <algorithm>
#include <memory>

namespace prunas {

namespace {
thread_local bool inside_pool_job = false;

struct ChunkRange {
  int64_t begin, end;
};

ChunkRange chunk_range(int64_t n, int chunks, int i) {
  return {n * i / chunks, n * (i + 1) / chunks};
}

constexpr int kSpinIterations = 20000;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Spins until done() or the budget runs out; true when done() held.
template <typename Done>
bool spin_until(Done done) {
  for (int i = 0; i < kSpinIterations; ++i) {
    if (done()) return true;
    cpu_relax();
  }
  return done();
}
}  // namespace

ThreadPool::ThreadPool(int threads) {
  const int workers = std::max(1, threads) - 1;
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::worker_loop() {
  uint64_t seen = 0;
  for (;;) {
    const std::function<void(int, int64_t, int64_t)>* job;
    int64_t n;
    const auto ready = [&] { return stopping_.load() || generation_.load() != seen; };
    if (!spin_until(ready)) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, ready);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      seen = generation_;
      job = job_;
      n = job_n_;
    }
    if (job) run_claimed(static_cast<uint32_t>(seen), *job, n);
  }
}

void ThreadPool::run_claimed(uint32_t generation, const std::function<void(int, int64_t, int64_t)>& fn, int64_t n) {
  const int chunks = size();
  for (;;) {
    uint64_t t = ticket_.load();
    if (static_cast<uint32_t>(t >> 32) != generation) return;
    const int chunk = static_cast<int>(t & 0xffffffffu);
    if (chunk >= chunks) return;
    if (!ticket_.compare_exchange_weak(t, t + 1)) continue;
    const ChunkRange r = chunk_range(n, chunks, chunk);
    if (r.end > r.begin) {
      const bool outer = inside_pool_job;
      inside_pool_job = true;
      fn(chunk, r.begin, r.end);
      inside_pool_job = outer;
    }
    if (pending_.fetch_sub(1) == 1) {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_one();
    }
  }
}

void ThreadPool::run_chunks(int64_t n, const std::function<void(int, int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  if (workers_.empty() || inside_pool_job) {
    // One chunk per thread still, so per-chunk partials match the parallel run.
    for (int i = 0; i < size(); ++i) {
      const ChunkRange r = chunk_range(n, size(), i);
      if (r.end > r.begin) fn(i, r.begin, r.end);
    }
    return;
  }
  std::lock_guard<std::mutex> submit(submit_mutex_);
  uint32_t generation;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    job_n_ = n;
    pending_ = size();
    generation = static_cast<uint32_t>(generation_.load() + 1);
    ticket_ = static_cast<uint64_t>(generation) << 32;
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  run_claimed(generation, fn, n);
  const auto finished = [&] { return pending_.load() == 0; };
  if (!spin_until(finished)) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, finished);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  job_ = nullptr;
}

namespace {
std::mutex pool_mutex;
std::unique_ptr<ThreadPool> pool;

int hardware_threads() { return std::max(1u, std::thread::hardware_concurrency()); }
}  // namespace

ThreadPool& cpu_pool() {
  std::lock_guard<std::mutex> lock(pool_mutex);
  if (!pool) pool = std::make_unique<ThreadPool>(hardware_threads());
  return *pool;
}

void set_cpu_threads(int threads) {
  std::lock_guard<std::mutex> lock(pool_mutex);
  const int wanted = threads > 0 ? threads : hardware_threads();
  if (pool && pool->size() == wanted) return;
  pool = std::make_unique<ThreadPool>(wanted);
}

int cpu_threads() { return cpu_pool().size(); }

int parallel_chunks(int64_t n, const std::function<void(int, int64_t, int64_t)>& fn, int64_t min_chunk) {
  ThreadPool& p = cpu_pool();
  const int64_t by_size = std::max<int64_t>(1, n / std::max<int64_t>(1, min_chunk));
  const int chunks = static_cast<int>(std::min<int64_t>(p.size(), by_size));
  if (chunks <= 1 || inside_pool_job) {
    if (n > 0) fn(0, 0, n);
    return 1;
  }
  // Re-split [0, n) into `chunks` pieces over the pool's chunk indices.
  p.run_chunks(chunks, [&](int, int64_t cb, int64_t ce) {
    for (int64_t c = cb; c < ce; ++c) {
      const int64_t b = n * c / chunks, e = n * (c + 1) / chunks;
      if (e > b) fn(static_cast<int>(c), b, e);
    }
  });
  return chunks;
}

void parallel_for(int64_t n, const std::function<void(int64_t, int64_t)>& fn, int64_t min_chunk) {
  parallel_chunks(n, [&](int, int64_t b, int64_t e) { fn(b, e); }, min_chunk);
}

}  // namespace prunas
