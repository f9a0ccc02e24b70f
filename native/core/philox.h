// Philox4x32-10 counter-based RNG (Salmon et al., SC'11). A stream is a
// (seed, stream id) pair; the counter advances by one per block of four
// 32-bit outputs. One stream per purpose (init, sampling, augmentation)
// keeps draws in one place from shifting the others.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>

namespace prunas {

class Philox {
 public:
  Philox(uint64_t seed, uint64_t stream, uint64_t offset = 0)
      : key_{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)}, stream_(stream), counter_(offset) {}

  // Four fresh 32-bit outputs for the current counter, then advance.
  std::array<uint32_t, 4> next_block() {
    std::array<uint32_t, 4> ctr = {static_cast<uint32_t>(counter_), static_cast<uint32_t>(counter_ >> 32),
                                   static_cast<uint32_t>(stream_), static_cast<uint32_t>(stream_ >> 32)};
    std::array<uint32_t, 2> key = key_;
    for (int round = 0; round < 10; ++round) {
      ctr = single_round(ctr, key);
      key[0] += 0x9E3779B9u;
      key[1] += 0xBB67AE85u;
    }
    ++counter_;
    return ctr;
  }

  uint32_t next_u32() {
    if (buffered_ == 0) {
      buffer_ = next_block();
      buffered_ = 4;
    }
    return buffer_[4 - buffered_--];
  }

  // Uniform in [0, 1) with 24 random bits.
  float uniform() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }

  // Uniform integer in [0, n), n >= 1 (Lemire's multiply-shift, no modulo bias beyond 2^-32).
  uint32_t below(uint32_t n) { return static_cast<uint32_t>((static_cast<uint64_t>(next_u32()) * n) >> 32); }

  // Standard normal by Box-Muller; uses two uniforms per call.
  float normal() {
    const float u1 = (static_cast<float>(next_u32() >> 8) + 1.0f) * (1.0f / 16777217.0f);  // (0, 1]
    const float u2 = uniform();
    return std::sqrt(-2.0f * std::log(u1)) * std::cos(6.28318530717958647692f * u2);
  }

  uint64_t counter() const { return counter_; }
  int buffered() const { return buffered_; }

 private:
  static std::array<uint32_t, 4> single_round(const std::array<uint32_t, 4>& c, const std::array<uint32_t, 2>& k) {
    const uint64_t p0 = static_cast<uint64_t>(0xD2511F53u) * c[0];
    const uint64_t p1 = static_cast<uint64_t>(0xCD9E8D57u) * c[2];
    return {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<uint32_t>(p1),
            static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<uint32_t>(p0)};
  }

  std::array<uint32_t, 2> key_;
  uint64_t stream_;
  uint64_t counter_;
  std::array<uint32_t, 4> buffer_{};
  int buffered_ = 0;
};

}  // namespace prunas
