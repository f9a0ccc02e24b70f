// Dense and grouped convolution through cuDNN's convolution API, forward,
// backward data and backward filter, on NHWC tensors with NHWC (= OHWI)
// filters, the layout of native/cpu/conv2d.cc. For each shape (and math
// mode) the algorithm is chosen once from cuDNN's heuristic ranking
// (cudnnGet*Algorithm_v7): the first deterministic one that fits the
// workspace limit, then cached; every later call of that shape reuses it.
// Not by timing (cudnnFind*): the fastest algorithm can differ from run to
// run, and with it the rounding, so the same seed would not give the same
// result. Where no algorithm qualifies for a pass of a shape, the built-in
// kernel of fallback_conv.cu computes that pass (conv_algorithm_choices(),
// gpuConvAlgorithms() in JS, say so). Built only when cuDNN is found.
//
// bf16 (bf16_kernels.h): bf16 tensors and filter with float32 compute
// (cuDNN's pseudo-bf16 configuration) on tensor cores; the float32 weights
// are rounded to a bf16 copy for each call. cuDNN's legacy backward filter
// has no configuration with bf16 x/dy and a float32 dw: the gradient is
// accumulated in float32 by cuDNN but written to a bf16 copy, then widened,
// so the weight gradient carries one bf16 rounding (relative 2^-9 at most).
#include <cudnn.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <sstream>
#include <string>

#include "cuda/bf16_kernels.h"
#include "cuda/check.h"
#include "cuda/kernels.h"
#include "cuda/library_kernels.h"

// The convolution API (cudnn_cnn) is marked deprecated in cuDNN 9 in favour
// of the graph API; it is still supported and is what this file uses.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace prunas::cuda {

namespace {

void check_cudnn(cudnnStatus_t status, const char* call, const char* file, int line) {
  if (status != CUDNN_STATUS_SUCCESS)
    throw_error(failed_call(call, file, line) + cudnnGetErrorString(status));
}
#define PRUNAS_CUDNN_CHECK(call) check_cudnn((call), #call, __FILE__, __LINE__)

constexpr size_t kWorkspaceLimit = size_t{256} << 20;

enum class Pass { Forward, BackwardData, BackwardFilter };

// Storage and math: float32 with FMA only, float32 with TF32 tensor cores
// allowed, or bf16 storage on tensor cores (float32 compute throughout).
enum class Mode { Fp32, Tf32, Bf16 };

Mode float_mode(bool tf32) { return tf32 ? Mode::Tf32 : Mode::Fp32; }

struct Algorithm {
  int algo = 0;
  cudnnMathType_t math = CUDNN_FMA_MATH;
  size_t workspace = 0;
};

// One cuDNN handle per device; used only by the job that holds the device's mutex.
cudnnHandle_t handle_for(DeviceContext& ctx) {
  static std::mutex mutex;
  static std::map<int, cudnnHandle_t>* handles = new std::map<int, cudnnHandle_t>();  // never destroyed
  std::lock_guard<std::mutex> lock(mutex);
  cudnnHandle_t& h = (*handles)[ctx.device()];
  if (h == nullptr) PRUNAS_CUDNN_CHECK(cudnnCreate(&h));
  PRUNAS_CUDNN_CHECK(cudnnSetStream(h, ctx.stream()));
  return h;
}

std::mutex cache_mutex;
std::map<std::string, Algorithm>& algorithm_cache() {
  static auto* cache = new std::map<std::string, Algorithm>();
  return *cache;
}

std::string cache_key(Pass pass, const cpu::Conv2dShape& s, Mode mode, int device) {
  std::ostringstream k;
  k << (pass == Pass::Forward ? "fwd" : pass == Pass::BackwardData ? "bwd-data" : "bwd-filter") << " cuda:" << device
    << " n" << s.n << " " << s.h << "x" << s.w << " " << s.cin << "->" << s.cout << " k" << s.kh << "x" << s.kw
    << " s" << s.sh << "x" << s.sw << " p" << s.ph << "x" << s.pw << " g" << s.groups
    << (mode == Mode::Tf32 ? " tf32" : mode == Mode::Fp32 ? " fp32" : " bf16");
  return k.str();
}

// The math type a mode's descriptors start from; every algorithm query runs
// on it, so a pass run earlier on the same descriptors cannot narrow the
// ranking of the next one (each pass sets its algorithm's math).
cudnnMathType_t default_math(Mode mode) {
  return mode == Mode::Fp32 ? CUDNN_FMA_MATH : mode == Mode::Tf32 ? CUDNN_DEFAULT_MATH : CUDNN_TENSOR_OP_MATH;
}

int64_t weight_count(const cpu::Conv2dShape& s) { return s.cout * s.kh * s.kw * (s.cin / s.groups); }

// cuDNN's descriptors hold at most 2^31 - 1 elements each (NOT_SUPPORTED
// beyond); a convolution with a larger tensor runs on the built-in kernel.
bool fits_descriptors(const cpu::Conv2dShape& s) {
  constexpr int64_t kLimit = INT32_MAX;
  return s.n * s.h * s.w * s.cin <= kLimit && s.n * s.ho() * s.wo() * s.cout <= kLimit && weight_count(s) <= kLimit;
}

// The descriptors of one convolution; none (usable() false) for a shape
// cuDNN cannot describe.
class Descriptors {
 public:
  Descriptors(const cpu::Conv2dShape& s, Mode mode) {
    if (!fits_descriptors(s)) return;
    try {
      describe(s, mode);
    } catch (...) {
      destroy();  // a throwing constructor gets no destructor
      throw;
    }
  }
  ~Descriptors() { destroy(); }
  Descriptors(const Descriptors&) = delete;
  Descriptors& operator=(const Descriptors&) = delete;
  void set_math(cudnnMathType_t math) { PRUNAS_CUDNN_CHECK(cudnnSetConvolutionMathType(conv, math)); }
  bool usable() const { return conv != nullptr; }

  cudnnTensorDescriptor_t x = nullptr, y = nullptr;
  cudnnFilterDescriptor_t w = nullptr;
  cudnnConvolutionDescriptor_t conv = nullptr;

 private:
  void describe(const cpu::Conv2dShape& s, Mode mode) {
    const cudnnDataType_t storage = mode == Mode::Bf16 ? CUDNN_DATA_BFLOAT16 : CUDNN_DATA_FLOAT;
    PRUNAS_CUDNN_CHECK(cudnnCreateTensorDescriptor(&x));
    PRUNAS_CUDNN_CHECK(cudnnCreateTensorDescriptor(&y));
    PRUNAS_CUDNN_CHECK(cudnnCreateFilterDescriptor(&w));
    PRUNAS_CUDNN_CHECK(cudnnCreateConvolutionDescriptor(&conv));
    PRUNAS_CUDNN_CHECK(cudnnSetTensor4dDescriptor(x, CUDNN_TENSOR_NHWC, storage, static_cast<int>(s.n),
                                                  static_cast<int>(s.cin), static_cast<int>(s.h),
                                                  static_cast<int>(s.w)));
    PRUNAS_CUDNN_CHECK(cudnnSetTensor4dDescriptor(y, CUDNN_TENSOR_NHWC, storage, static_cast<int>(s.n),
                                                  static_cast<int>(s.cout), static_cast<int>(s.ho()),
                                                  static_cast<int>(s.wo())));
    // NHWC filter format = [k][r][s][c/groups], our OHWI layout.
    PRUNAS_CUDNN_CHECK(cudnnSetFilter4dDescriptor(w, storage, CUDNN_TENSOR_NHWC, static_cast<int>(s.cout),
                                                  static_cast<int>(s.cin / s.groups), static_cast<int>(s.kh),
                                                  static_cast<int>(s.kw)));
    PRUNAS_CUDNN_CHECK(cudnnSetConvolution2dDescriptor(conv, static_cast<int>(s.ph), static_cast<int>(s.pw),
                                                       static_cast<int>(s.sh), static_cast<int>(s.sw), 1, 1,
                                                       CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT));
    PRUNAS_CUDNN_CHECK(cudnnSetConvolutionGroupCount(conv, static_cast<int>(s.groups)));
    set_math(default_math(mode));
  }
  void destroy() {
    if (conv) cudnnDestroyConvolutionDescriptor(conv);
    if (w) cudnnDestroyFilterDescriptor(w);
    if (y) cudnnDestroyTensorDescriptor(y);
    if (x) cudnnDestroyTensorDescriptor(x);
    conv = nullptr, w = nullptr, y = nullptr, x = nullptr;
  }
};

// No cuDNN algorithm qualifies for a pass of a shape: the built-in kernel
// (fallback_conv.cu) computes that pass instead (e.g. a bf16 stem with one to
// three input channels, for which cuDNN may offer nothing deterministic).
constexpr int kBuiltIn = -1;

// The best-ranked deterministic successful result within the workspace
// limit; in strict float32 mode only FMA math; in bf16 mode none that
// converts data down (tensor-op or FMA math on the bf16 data as it is).
template <typename Perf>
Algorithm pick(const Perf* results, int count, Mode mode, const std::string& key) {
  for (int i = 0; i < count; ++i) {
    const Perf& r = results[i];
    if (r.status != CUDNN_STATUS_SUCCESS || r.determinism != CUDNN_DETERMINISTIC || r.memory > kWorkspaceLimit)
      continue;
    if (mode == Mode::Fp32 && r.mathType != CUDNN_FMA_MATH) continue;
    if (mode == Mode::Bf16 && r.mathType == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION) continue;
    return {static_cast<int>(r.algo), r.mathType, r.memory};
  }
  (void)key;
  return {kBuiltIn, CUDNN_DEFAULT_MATH, 0};
}

// The cached algorithm of (pass, shape), chosen on first use.
Algorithm algorithm_for(DeviceContext& ctx, Pass pass, const cpu::Conv2dShape& s, Mode mode, Descriptors& d) {
  if (!d.usable()) return {kBuiltIn, CUDNN_DEFAULT_MATH, 0};
  const std::string key = cache_key(pass, s, mode, ctx.device());
  {
    std::lock_guard<std::mutex> lock(cache_mutex);
    auto it = algorithm_cache().find(key);
    if (it != algorithm_cache().end()) return it->second;
  }
  cudnnHandle_t h = handle_for(ctx);
  d.set_math(default_math(mode));
  constexpr int kRequested = 16;
  int returned = 0;
  Algorithm chosen;
  if (pass == Pass::Forward) {
    cudnnConvolutionFwdAlgoPerf_t results[kRequested];
    PRUNAS_CUDNN_CHECK(
        cudnnGetConvolutionForwardAlgorithm_v7(h, d.x, d.w, d.conv, d.y, kRequested, &returned, results));
    chosen = pick(results, returned, mode, key);
  } else if (pass == Pass::BackwardData) {
    cudnnConvolutionBwdDataAlgoPerf_t results[kRequested];
    PRUNAS_CUDNN_CHECK(
        cudnnGetConvolutionBackwardDataAlgorithm_v7(h, d.w, d.y, d.conv, d.x, kRequested, &returned, results));
    chosen = pick(results, returned, mode, key);
  } else {
    cudnnConvolutionBwdFilterAlgoPerf_t results[kRequested];
    PRUNAS_CUDNN_CHECK(
        cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, d.x, d.y, d.conv, d.w, kRequested, &returned, results));
    chosen = pick(results, returned, mode, key);
  }
  std::lock_guard<std::mutex> lock(cache_mutex);
  algorithm_cache()[key] = chosen;
  return chosen;
}

// The three passes on descriptors d made for `mode`; x, w, y and their
// gradients in that mode's storage, outputs overwritten. Each pass leaves d
// in its algorithm's math mode; a backward pass of both gradients runs them
// on one set of descriptors, in the order data, filter.
// Each returns false, computing nothing, where no algorithm qualified (kBuiltIn).
bool convolve_forward(DeviceContext& ctx, Mode mode, Descriptors& d, void* y, const void* x, const void* w,
                      const cpu::Conv2dShape& s) {
  const Algorithm a = algorithm_for(ctx, Pass::Forward, s, mode, d);
  if (a.algo == kBuiltIn) return false;
  d.set_math(a.math);
  DeviceArray<unsigned char> workspace(ctx, static_cast<int64_t>(a.workspace));
  const float one = 1.0f, zero = 0.0f;
  PRUNAS_CUDNN_CHECK(cudnnConvolutionForward(handle_for(ctx), &one, d.x, x, d.w, w, d.conv,
                                             static_cast<cudnnConvolutionFwdAlgo_t>(a.algo), workspace.data(),
                                             a.workspace, &zero, d.y, y));
  return true;
}

bool convolve_backward_data(DeviceContext& ctx, Mode mode, Descriptors& d, void* dx, const void* dy, const void* w,
                            const cpu::Conv2dShape& s) {
  const float one = 1.0f, zero = 0.0f;
  const Algorithm a = algorithm_for(ctx, Pass::BackwardData, s, mode, d);
  if (a.algo == kBuiltIn) return false;
  d.set_math(a.math);
  DeviceArray<unsigned char> workspace(ctx, static_cast<int64_t>(a.workspace));
  PRUNAS_CUDNN_CHECK(cudnnConvolutionBackwardData(handle_for(ctx), &one, d.w, w, d.y, dy, d.conv,
                                                  static_cast<cudnnConvolutionBwdDataAlgo_t>(a.algo),
                                                  workspace.data(), a.workspace, &zero, d.x, dx));
  return true;
}

bool convolve_backward_filter(DeviceContext& ctx, Mode mode, Descriptors& d, void* dw, const void* x,
                              const void* dy, const cpu::Conv2dShape& s) {
  const float one = 1.0f, zero = 0.0f;
  const Algorithm a = algorithm_for(ctx, Pass::BackwardFilter, s, mode, d);
  if (a.algo == kBuiltIn) return false;
  d.set_math(a.math);
  DeviceArray<unsigned char> workspace(ctx, static_cast<int64_t>(a.workspace));
  PRUNAS_CUDNN_CHECK(cudnnConvolutionBackwardFilter(handle_for(ctx), &one, d.x, x, d.y, dy, d.conv,
                                                    static_cast<cudnnConvolutionBwdFilterAlgo_t>(a.algo),
                                                    workspace.data(), a.workspace, &zero, d.w, dw));
  return true;
}

}  // namespace

void conv2d_forward(DeviceContext& ctx, float* y, const float* x, const float* w, const float* bias,
                    const cpu::Conv2dShape& s, bool tf32) {
  cpu::check_conv2d_shape(s);
  Descriptors d(s, float_mode(tf32));
  if (!convolve_forward(ctx, float_mode(tf32), d, y, x, w, s)) fallback_conv2d_forward(ctx, y, x, w, nullptr, s);
  if (bias) add_bias(ctx, y, bias, s.n * s.ho() * s.wo(), s.cout);
}

void conv2d_backward(DeviceContext& ctx, float* dx, float* dw, float* db, const float* dy, const float* x,
                     const float* w, const cpu::Conv2dShape& s, bool tf32) {
  cpu::check_conv2d_shape(s);
  Descriptors d(s, float_mode(tf32));
  if (dx && !convolve_backward_data(ctx, float_mode(tf32), d, dx, dy, w, s))
    fallback_conv2d_backward(ctx, dx, nullptr, nullptr, dy, x, w, s);
  if (dw && !convolve_backward_filter(ctx, float_mode(tf32), d, dw, x, dy, s))
    fallback_conv2d_backward(ctx, nullptr, dw, nullptr, dy, x, w, s);
  if (db) column_sums(ctx, db, dy, s.n * s.ho() * s.wo(), s.cout);
}

void conv2d_forward(DeviceContext& ctx, bf16* y, const bf16* x, const float* w, const float* bias,
                    const cpu::Conv2dShape& s) {
  cpu::check_conv2d_shape(s);
  DeviceArray<bf16> w16(ctx, weight_count(s));
  to_bf16(ctx, w16.data(), w, w16.count());
  Descriptors d(s, Mode::Bf16);
  if (!convolve_forward(ctx, Mode::Bf16, d, y, x, w16.data(), s)) fallback_conv2d_forward(ctx, y, x, w, nullptr, s);
  if (bias) add_bias(ctx, y, bias, s.n * s.ho() * s.wo(), s.cout);
}

void conv2d_backward(DeviceContext& ctx, bf16* dx, float* dw, float* db, const bf16* dy, const bf16* x,
                     const float* w, const cpu::Conv2dShape& s) {
  cpu::check_conv2d_shape(s);
  Descriptors d(s, Mode::Bf16);
  if (dx) {
    DeviceArray<bf16> w16(ctx, weight_count(s));
    to_bf16(ctx, w16.data(), w, w16.count());
    if (!convolve_backward_data(ctx, Mode::Bf16, d, dx, dy, w16.data(), s))
      fallback_conv2d_backward(ctx, dx, nullptr, nullptr, dy, x, w, s);
  }
  if (dw) {
    // float32 accumulation inside cuDNN, one rounding to bf16 on the way out (see the top of the file)
    DeviceArray<bf16> dw16(ctx, weight_count(s));
    if (convolve_backward_filter(ctx, Mode::Bf16, d, dw16.data(), x, dy, s))
      to_float(ctx, dw, dw16.data(), dw16.count());
    else
      fallback_conv2d_backward(ctx, static_cast<bf16*>(nullptr), dw, nullptr, dy, x, w, s);
  }
  if (db) column_sums(ctx, db, dy, s.n * s.ho() * s.wo(), s.cout);
}

std::vector<ConvAlgorithmChoice> conv_algorithm_choices() {
  auto name = [](cudnnMathType_t m) {
    switch (m) {
      case CUDNN_FMA_MATH: return "fma";
      case CUDNN_DEFAULT_MATH: return "default";
      case CUDNN_TENSOR_OP_MATH: return "tensor-op";
      default: return "tensor-op-conversion";
    }
  };
  std::lock_guard<std::mutex> lock(cache_mutex);
  std::vector<ConvAlgorithmChoice> choices;
  for (const auto& [key, a] : algorithm_cache())
    choices.push_back({key, a.algo, a.algo == kBuiltIn ? "" : name(a.math), a.workspace});
  return choices;
}

}  // namespace prunas::cuda
