#include "napi/args.h"

#include <cmath>

namespace prunas::napi {

std::string describe(const Napi::Value& value) {
  if (value.IsUndefined()) return "undefined";
  if (value.IsNull()) return "null";
  if (value.IsNumber()) {
    const double d = value.As<Napi::Number>().DoubleValue();
    if (std::isnan(d)) return "NaN";
    std::string s = std::to_string(d);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  if (value.IsBoolean()) return value.As<Napi::Boolean>().Value() ? "true" : "false";
  if (value.IsString()) return "a string";
  if (value.IsTypedArray()) {
    static const char* names[] = {"Int8Array",    "Uint8Array",   "Uint8ClampedArray", "Int16Array",
                                  "Uint16Array",  "Int32Array",   "Uint32Array",       "Float32Array",
                                  "Float64Array", "BigInt64Array", "BigUint64Array"};
    const auto type = value.As<Napi::TypedArray>().TypedArrayType();
    return type <= napi_biguint64_array ? std::string("a ") + names[type] : "a TypedArray";
  }
  if (value.IsArray()) return "an Array";
  if (value.IsFunction()) return "a function";
  return "an object";
}

Args::Args(const Napi::CallbackInfo& info, const char* kernel) : kernel_(kernel) {
  if (info.Length() < 1 || !info[0].IsObject() || info[0].IsArray())
    throw_type(kernel_ + ": expected an options object, got " +
               (info.Length() < 1 ? std::string("nothing") : describe(info[0])));
  object_ = info[0].As<Napi::Object>();
}

Napi::Value Args::get(const char* name) { return object_.Get(name); }

Napi::TypedArray Args::typed_array(const char* name, napi_typedarray_type type, const char* type_name) {
  Napi::Value v = get(name);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type)
    throw_type(where(name) + " must be a " + type_name + ", got " + describe(v));
  Napi::TypedArray array = v.As<Napi::TypedArray>();
  pins_.push_back(Napi::Persistent(array.As<Napi::Object>()));
  return array;
}

template <typename T>
static Span<T> checked_span(Napi::TypedArray array, const std::string& where, int64_t length) {
  const int64_t have = static_cast<int64_t>(array.ElementLength());
  if (length >= 0 && have != length)
    throw_range(where + " must have " + std::to_string(length) + " elements, got " + std::to_string(have));
  auto* base = static_cast<uint8_t*>(array.ArrayBuffer().Data());
  if (base == nullptr && have > 0) throw_type(where + " has a detached buffer");
  return {reinterpret_cast<T*>(base + array.ByteOffset()), have};
}

Span<float> Args::f32(const char* name, int64_t length) {
  return checked_span<float>(typed_array(name, napi_float32_array, "Float32Array"), where(name), length);
}

bool Args::is_absent(const char* name) {
  Napi::Value v = get(name);
  return v.IsUndefined() || v.IsNull();
}

Span<float> Args::f32_optional(const char* name, int64_t length) {
  if (is_absent(name)) return {};
  return f32(name, length);
}

Span<int32_t> Args::i32(const char* name, int64_t length) {
  return checked_span<int32_t>(typed_array(name, napi_int32_array, "Int32Array"), where(name), length);
}

Span<uint8_t> Args::u8(const char* name, int64_t length) {
  return checked_span<uint8_t>(typed_array(name, napi_uint8_array, "Uint8Array"), where(name), length);
}

int64_t Args::integer(const char* name, int64_t lo, int64_t hi) {
  Napi::Value v = get(name);
  if (!v.IsNumber()) throw_type(where(name) + " must be an integer, got " + describe(v));
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::floor(d))
    throw_range(where(name) + " must be an integer, got " + describe(v));
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi))
    throw_range(where(name) + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                describe(v));
  return static_cast<int64_t>(d);
}

int64_t Args::integer(const char* name, int64_t lo, int64_t hi, int64_t fallback) {
  Napi::Value v = get(name);
  return v.IsUndefined() ? fallback : integer(name, lo, hi);
}

double Args::number(const char* name, double lo, double hi) {
  Napi::Value v = get(name);
  if (!v.IsNumber()) throw_type(where(name) + " must be a number, got " + describe(v));
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d < lo || d > hi)
    throw_range(where(name) + " must be a finite number in [" + describe(Napi::Number::New(object_.Env(), lo)) +
                ", " + describe(Napi::Number::New(object_.Env(), hi)) + "], got " + describe(v));
  return d;
}

double Args::number(const char* name, double lo, double hi, double fallback) {
  Napi::Value v = get(name);
  return v.IsUndefined() ? fallback : number(name, lo, hi);
}

bool Args::boolean(const char* name, bool fallback) {
  Napi::Value v = get(name);
  if (v.IsUndefined()) return fallback;
  if (!v.IsBoolean()) throw_type(where(name) + " must be a boolean, got " + describe(v));
  return v.As<Napi::Boolean>().Value();
}

std::string Args::string(const char* name, const std::string& fallback) {
  Napi::Value v = get(name);
  if (v.IsUndefined()) return fallback;
  if (!v.IsString()) throw_type(where(name) + " must be a string, got " + describe(v));
  std::string s = v.As<Napi::String>().Utf8Value();
  if (s.size() > 256) throw_range(where(name) + " must be at most 256 characters, got " + std::to_string(s.size()));
  return s;
}

void check_disjoint(const Args& a, std::initializer_list<ArrayUse> arrays) {
  for (auto i = arrays.begin(); i != arrays.end(); ++i)
    for (auto j = i + 1; j != arrays.end(); ++j) {
      const auto *p = static_cast<const char*>(i->data), *q = static_cast<const char*>(j->data);
      if ((i->written || j->written) && p && q && p < q + j->bytes && q < p + i->bytes)
        throw_range(a.where(i->written ? i->name : j->name) + " must not share memory with " +
                    (i->written ? j->name : i->name));
    }
}

void check_disjoint(const Args& a, const char* out_name, Span<float> out, const char* in_name, Span<float> in) {
  check_disjoint(a, {array(out_name, out, true), array(in_name, in, false)});
}

}  // namespace prunas::napi
