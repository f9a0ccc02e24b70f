// Reads one kernel call's arguments from a plain JS object and checks each:
// wrong type -> TypeError, wrong size or value -> RangeError, with the kernel
// and argument names in the message. TypedArrays are borrowed without a copy
// and pinned by a reference until the Args object (and so the job) ends.
#pragma once
#include <napi.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "core/error.h"

namespace prunas::napi {

template <typename T>
struct Span {
  T* data = nullptr;
  int64_t length = 0;
};

class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* kernel);

  // A Float32Array of exactly `length` elements (any length when length < 0).
  Span<float> f32(const char* name, int64_t length);
  // Same, or an empty span when the property is undefined or null.
  Span<float> f32_optional(const char* name, int64_t length);
  Span<int32_t> i32(const char* name, int64_t length);
  Span<uint8_t> u8(const char* name, int64_t length);
  // An integer in [lo, hi]; `fallback` when absent (required when no fallback given).
  int64_t integer(const char* name, int64_t lo, int64_t hi);
  int64_t integer(const char* name, int64_t lo, int64_t hi, int64_t fallback);
  // A finite number in [lo, hi].
  double number(const char* name, double lo, double hi);
  double number(const char* name, double lo, double hi, double fallback);
  bool boolean(const char* name, bool fallback);
  // A string of at most 256 characters; `fallback` when absent.
  std::string string(const char* name, const std::string& fallback);
  // True when the property is undefined or null.
  bool is_absent(const char* name);

  const std::string& kernel() const { return kernel_; }
  std::string where(const char* name) const { return kernel_ + ": " + name; }

 private:
  Napi::Value get(const char* name);
  Napi::TypedArray typed_array(const char* name, napi_typedarray_type type, const char* type_name);

  std::string kernel_;
  Napi::Object object_;
  std::vector<Napi::ObjectReference> pins_;
};

std::string describe(const Napi::Value& value);

// One array of a call for check_disjoint: its name, its memory, and whether
// the kernel writes it.
struct ArrayUse {
  const char* name = nullptr;
  const void* data = nullptr;
  int64_t bytes = 0;
  bool written = false;
};

template <typename T>
ArrayUse array(const char* name, Span<T> s, bool written) {
  return {name, s.data, s.length * static_cast<int64_t>(sizeof(T)), written};
}

// An array the kernel writes must not share memory with any other array of
// the call (absent arrays are skipped). An in-place call lists the shared
// array once, as written.
void check_disjoint(const Args& a, std::initializer_list<ArrayUse> arrays);
// The same for one output and one input.
void check_disjoint(const Args& a, const char* out_name, Span<float> out, const char* in_name, Span<float> in);

}  // namespace prunas::napi
