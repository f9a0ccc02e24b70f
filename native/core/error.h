// One error type for the whole native core. napi/ maps the kind to a JS
// TypeError, RangeError or Error; the message always names the bad value.
#pragma once
#include <stdexcept>
#include <string>

namespace prunas {

enum class ErrorKind { Type, Range, Generic };

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

[[noreturn]] inline void throw_type(const std::string& message) { throw Error(ErrorKind::Type, message); }
[[noreturn]] inline void throw_range(const std::string& message) { throw Error(ErrorKind::Range, message); }
[[noreturn]] inline void throw_error(const std::string& message) { throw Error(ErrorKind::Generic, message); }

// Checks a size argument of a kernel: `name` must lie in [lo, hi].
inline void check_range(const char* name, long long value, long long lo, long long hi) {
  if (value < lo || value > hi)
    throw_range(std::string(name) + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                "], got " + std::to_string(value));
}

}  // namespace prunas
