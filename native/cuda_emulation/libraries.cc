// cuDNN's convolution and cuBLAS's GemmEx emulated on the host (cudnn.h,
// cublas_v2.h), so that the emulated backend's library build
// (PRUNAS_EMULATED_LIBRARIES) runs native/cuda/cudnn_conv.cc and
// cublas_gemm.cc: their descriptors, algorithm choice and cache, workspaces,
// bf16 and TF32 paths and row-major ↔ column-major products. The arithmetic
// is plain loops accumulated in double (TF32 math rounds the float inputs
// to TF32's 10-bit mantissa first, bf16 storage rounds the outputs), queued
// like a kernel: run at once, or recorded while the stream is captured.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "cublas_v2.h"
#include "cuda_bf16.h"
#include "cudnn.h"

struct EmulatedCudnn {
  cudaStream_t stream = nullptr;
};
struct EmulatedTensorDescriptor {
  bool set = false;
  cudnnTensorFormat_t format = CUDNN_TENSOR_NCHW;
  cudnnDataType_t type = CUDNN_DATA_FLOAT;
  int n = 0, c = 0, h = 0, w = 0;
};
struct EmulatedFilterDescriptor {
  bool set = false;
  cudnnDataType_t type = CUDNN_DATA_FLOAT;
  cudnnTensorFormat_t format = CUDNN_TENSOR_NCHW;
  int k = 0, c = 0, h = 0, w = 0;
};
struct EmulatedConvolutionDescriptor {
  bool set = false;
  int pad_h = 0, pad_w = 0, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  cudnnConvolutionMode_t mode = CUDNN_CONVOLUTION;
  cudnnDataType_t compute = CUDNN_DATA_FLOAT;
  int groups = 1;
  cudnnMathType_t math = CUDNN_DEFAULT_MATH;
};
struct EmulatedCublas {
  cudaStream_t stream = nullptr;
  void* workspace = nullptr;  // null: cuBLAS's own pool
  size_t workspace_bytes = 0;
  cublasMath_t math = CUBLAS_DEFAULT_MATH;
};

namespace {

using prunas_emulation::report;

float tf32(float v) {
  if (!std::isfinite(v)) return v;
  uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  u += 0xfffu + ((u >> 13) & 1u);  // to nearest, ties to even, on the 10-bit mantissa
  u &= 0xffffe000u;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

float load(const void* p, bool bf16, size_t i) {
  return bf16 ? __bfloat162float(static_cast<const __nv_bfloat16*>(p)[i]) : static_cast<const float*>(p)[i];
}

void store(void* p, bool bf16, size_t i, float v) {
  if (bf16)
    static_cast<__nv_bfloat16*>(p)[i] = __float2bfloat16(v);
  else
    static_cast<float*>(p)[i] = v;
}

// Queues `work` on `stream` like a kernel: recorded while the stream is
// captured, else run now. False where the capture refused it.
bool enqueue(cudaStream_t stream, const char* call, std::function<void()> work) {
  if (!prunas_emulation::record_if_capturing(stream, call, work)) {
    work();
    return true;
  }
  return cudaGetLastError() == cudaSuccess;
}

// ---- cuDNN ----

// One convolution as its descriptors describe it.
struct Conv {
  int n, h, w, cin, cout, kh, kw, pad_h, pad_w, stride_h, stride_w, dil_h, dil_w, groups, ho, wo;
  bool bf16, tf32;
  size_t x_count() const { return size_t(n) * h * w * cin; }
  size_t y_count() const { return size_t(n) * ho * wo * cout; }
  size_t w_count() const { return size_t(cout) * kh * kw * (cin / groups); }
};

cudnnStatus_t bad(const std::string& call, const std::string& why) {
  report(call + ": " + why);
  return CUDNN_STATUS_BAD_PARAM;
}

// The convolution x ⊛ w → y of the descriptors, or why there is none.
cudnnStatus_t describe(const char* call, cudnnTensorDescriptor_t x, cudnnFilterDescriptor_t w,
                       cudnnConvolutionDescriptor_t conv, cudnnTensorDescriptor_t y, Conv& out) {
  if (!x || !w || !conv || !y || !x->set || !w->set || !conv->set || !y->set)
    return bad(call, "a descriptor is null or was never set");
  if (x->format != CUDNN_TENSOR_NHWC || y->format != CUDNN_TENSOR_NHWC || w->format != CUDNN_TENSOR_NHWC) {
    report(std::string(call) + ": only NHWC tensors and filters are emulated");
    return CUDNN_STATUS_NOT_SUPPORTED;
  }
  if (x->type != w->type || x->type != y->type) return bad(call, "x, w and y differ in data type");
  if (x->type != CUDNN_DATA_FLOAT && x->type != CUDNN_DATA_BFLOAT16) {
    report(std::string(call) + ": only float and bf16 data are emulated");
    return CUDNN_STATUS_NOT_SUPPORTED;
  }
  if (conv->compute != CUDNN_DATA_FLOAT) return bad(call, "float and bf16 data need float compute here");
  if (conv->mode != CUDNN_CROSS_CORRELATION) {
    report(std::string(call) + ": only cross-correlation is emulated");
    return CUDNN_STATUS_NOT_SUPPORTED;
  }
  const int groups = conv->groups;
  if (x->c != w->c * groups) return bad(call, "x has " + std::to_string(x->c) + " channels, the filter " +
                                                  std::to_string(w->c) + " per group × " + std::to_string(groups));
  if (w->k % groups != 0) return bad(call, "output channels not a multiple of the group count");
  if (y->c != w->k || y->n != x->n) return bad(call, "y's batch or channels do not match x and the filter");
  const int span_h = x->h + 2 * conv->pad_h - conv->dilation_h * (w->h - 1) - 1;
  const int span_w = x->w + 2 * conv->pad_w - conv->dilation_w * (w->w - 1) - 1;
  if (span_h < 0 || span_w < 0) return bad(call, "the filter is larger than the padded input");
  const int ho = span_h / conv->stride_h + 1, wo = span_w / conv->stride_w + 1;
  if (y->h != ho || y->w != wo)
    return bad(call, "y is " + std::to_string(y->h) + "×" + std::to_string(y->w) + ", the convolution gives " +
                         std::to_string(ho) + "×" + std::to_string(wo));
  out = {x->n,        x->h,         x->w,          x->c,          w->k,
         w->h,        w->w,         conv->pad_h,   conv->pad_w,   conv->stride_h,
         conv->stride_w, conv->dilation_h, conv->dilation_w, groups, ho,
         wo,          x->type == CUDNN_DATA_BFLOAT16, false};
  out.tf32 = !out.bf16 && conv->math != CUDNN_FMA_MATH;  // float data: TF32 tensor cores unless FMA only
  return CUDNN_STATUS_SUCCESS;
}

// What the heuristics offer, in rank order: for each rule of a caller's
// choice something to refuse (a workspace of 1 GiB, a non-deterministic
// tensor-op algorithm, an unsupported one) and one good deterministic
// algorithm (0) with a 4 KiB workspace — except for bf16 data with fewer
// than 4 channels per group, where nothing deterministic fits. That rule is
// this emulation's own, not documented by cuDNN: it makes the built-in
// kernel's path for a pass run in CI. An FMA-only descriptor gets FMA
// algorithms only.
struct Offer {
  int algo;
  cudnnStatus_t status;
  size_t memory;
  cudnnDeterminism_t determinism;
  cudnnMathType_t math;
};

std::vector<Offer> offers(const Conv& c, cudnnMathType_t math) {
  const cudnnMathType_t runs = math == CUDNN_FMA_MATH ? CUDNN_FMA_MATH : c.bf16 ? CUDNN_TENSOR_OP_MATH : math;
  std::vector<Offer> o;
  o.push_back({3, CUDNN_STATUS_SUCCESS, size_t{1} << 30, CUDNN_DETERMINISTIC, runs});
  if (math != CUDNN_FMA_MATH) o.push_back({1, CUDNN_STATUS_SUCCESS, 0, CUDNN_NON_DETERMINISTIC, CUDNN_TENSOR_OP_MATH});
  if (!c.bf16 || c.cin / c.groups >= 4) o.push_back({0, CUDNN_STATUS_SUCCESS, 4096, CUDNN_DETERMINISTIC, runs});
  o.push_back({2, CUDNN_STATUS_NOT_SUPPORTED, 0, CUDNN_DETERMINISTIC, runs});
  return o;
}

template <typename Perf>
cudnnStatus_t rank(const char* call, cudnnHandle_t handle, cudnnTensorDescriptor_t x, cudnnFilterDescriptor_t w,
                   cudnnConvolutionDescriptor_t conv, cudnnTensorDescriptor_t y, int requested, int* returned,
                   Perf* results) {
  if (!handle) return CUDNN_STATUS_NOT_INITIALIZED;
  if (requested < 1 || !returned || !results) return bad(call, "no room for results");
  Conv c;
  if (const cudnnStatus_t s = describe(call, x, w, conv, y, c); s != CUDNN_STATUS_SUCCESS) return s;
  const std::vector<Offer> o = offers(c, conv->math);
  *returned = std::min<int>(requested, static_cast<int>(o.size()));
  for (int i = 0; i < *returned; ++i) {
    results[i] = {};
    results[i].algo = static_cast<decltype(results[i].algo)>(o[i].algo);
    results[i].status = o[i].status;
    results[i].time = -1.0f;  // heuristics do not time
    results[i].memory = o[i].memory;
    results[i].determinism = o[i].determinism;
    results[i].mathType = o[i].math;
  }
  return CUDNN_STATUS_SUCCESS;
}

// A convolution call's checks: the algorithm offered as supported for these
// descriptors at their present math type (the caller sets the algorithm's),
// its workspace, device memory for every tensor. alpha and beta are host
// floats; beta = 0 never reads the output.
cudnnStatus_t check_call(const char* call, cudnnHandle_t handle, const Conv& c, cudnnMathType_t math, int algo,
                         const void* workspace, size_t workspace_bytes,
                         std::initializer_list<std::pair<const void*, size_t>> tensors) {
  if (!handle) return CUDNN_STATUS_NOT_INITIALIZED;
  std::optional<Offer> offered;
  for (const Offer& o : offers(c, math))
    if (o.algo == algo && o.status == CUDNN_STATUS_SUCCESS) offered = o;
  if (!offered) return bad(call, "algorithm " + std::to_string(algo) + " is not offered for these descriptors");
  if (offered->math != math)
    return bad(call, "the descriptor's math type is not the algorithm's");
  if (workspace_bytes < offered->memory)
    return bad(call, "a workspace of " + std::to_string(workspace_bytes) + " bytes, the algorithm needs " +
                         std::to_string(offered->memory));
  if (offered->memory > 0 && !prunas_emulation::is_device_range(workspace, workspace_bytes))
    return bad(call, "the workspace is not device memory");
  const size_t element = c.bf16 ? 2 : 4;
  int i = 0;
  for (const auto& [p, count] : tensors) {
    if (!prunas_emulation::is_device_range(p, count * element))
      return bad(call, "tensor argument " + std::to_string(i) + " is not device memory of its size");
    ++i;
  }
  return CUDNN_STATUS_SUCCESS;
}

float scalar(const void* p) { return *static_cast<const float*>(p); }

// Output element i ← alpha·v (+ beta·old when beta ≠ 0).
void write(void* out, bool bf16, size_t i, double v, float alpha, float beta) {
  double r = alpha * v;
  if (beta != 0.0f) r += beta * load(out, bf16, i);
  store(out, bf16, i, static_cast<float>(r));
}

// Input element i as the math reads it.
float in(const void* p, const Conv& c, size_t i) {
  const float v = load(p, c.bf16, i);
  return c.tf32 ? tf32(v) : v;
}

// Visits every (output position, filter tap, input channel of its group)
// with the flat indices of x, w and y.
template <typename F>
void for_each_tap(const Conv& c, F&& f) {
  const int cpg = c.cin / c.groups, opg = c.cout / c.groups;
  for (int n = 0; n < c.n; ++n)
    for (int oh = 0; oh < c.ho; ++oh)
      for (int ow = 0; ow < c.wo; ++ow)
        for (int oc = 0; oc < c.cout; ++oc) {
          const int g = oc / opg;
          const size_t yi = ((size_t(n) * c.ho + oh) * c.wo + ow) * c.cout + oc;
          for (int r = 0; r < c.kh; ++r) {
            const int ih = oh * c.stride_h - c.pad_h + r * c.dil_h;
            if (ih < 0 || ih >= c.h) continue;
            for (int s = 0; s < c.kw; ++s) {
              const int iw = ow * c.stride_w - c.pad_w + s * c.dil_w;
              if (iw < 0 || iw >= c.w) continue;
              for (int ci = 0; ci < cpg; ++ci) {
                const size_t xi = ((size_t(n) * c.h + ih) * c.w + iw) * c.cin + size_t(g) * cpg + ci;
                const size_t wi = ((size_t(oc) * c.kh + r) * c.kw + s) * cpg + ci;
                f(xi, wi, yi);
              }
            }
          }
        }
}


// A convolution pass once described: the call's checks, then, queued on the
// handle's stream, out = alpha·sum + beta·out over `count` elements, where
// add(sum) adds the pass's products into sum (zeroed, in double).
template <typename Add>
cudnnStatus_t convolve(const char* call, cudnnHandle_t handle, const Conv& c, cudnnMathType_t math, int algo,
                       const void* workspace, size_t workspace_bytes,
                       std::initializer_list<std::pair<const void*, size_t>> tensors, const void* alpha,
                       const void* beta, void* out, size_t count, Add add) {
  if (const cudnnStatus_t s = check_call(call, handle, c, math, algo, workspace, workspace_bytes, tensors);
      s != CUDNN_STATUS_SUCCESS)
    return s;
  const float a = scalar(alpha), b = scalar(beta);
  const bool queued = enqueue(handle->stream, call, [=] {
    std::vector<double> sum(count, 0.0);
    add(sum);
    for (size_t i = 0; i < count; ++i) write(out, c.bf16, i, sum[i], a, b);
  });
  return queued ? CUDNN_STATUS_SUCCESS : CUDNN_STATUS_EXECUTION_FAILED;
}

}  // namespace

size_t cudnnGetVersion(void) { return CUDNN_VERSION; }

const char* cudnnGetErrorString(cudnnStatus_t status) {
  switch (status) {
    case CUDNN_STATUS_SUCCESS: return "CUDNN_STATUS_SUCCESS";
    case CUDNN_STATUS_NOT_INITIALIZED: return "CUDNN_STATUS_NOT_INITIALIZED";
    case CUDNN_STATUS_BAD_PARAM: return "CUDNN_STATUS_BAD_PARAM";
    case CUDNN_STATUS_NOT_SUPPORTED: return "CUDNN_STATUS_NOT_SUPPORTED";
    case CUDNN_STATUS_EXECUTION_FAILED: return "CUDNN_STATUS_EXECUTION_FAILED";
  }
  return "CUDNN_STATUS_UNKNOWN";
}

cudnnStatus_t cudnnCreate(cudnnHandle_t* handle) {
  *handle = new EmulatedCudnn{};
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetStream(cudnnHandle_t handle, cudaStream_t stream) {
  if (!handle) return CUDNN_STATUS_NOT_INITIALIZED;
  handle->stream = stream;
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnCreateTensorDescriptor(cudnnTensorDescriptor_t* desc) {
  *desc = new EmulatedTensorDescriptor{};
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetTensor4dDescriptor(cudnnTensorDescriptor_t desc, cudnnTensorFormat_t format,
                                         cudnnDataType_t dataType, int n, int c, int h, int w) {
  if (!desc || n < 1 || c < 1 || h < 1 || w < 1) return bad("cudnnSetTensor4dDescriptor", "a dimension below 1");
  if (int64_t{n} * c * h * w > INT32_MAX) return CUDNN_STATUS_NOT_SUPPORTED;  // cuDNN's 2^31 - 1 elements
  *desc = {true, format, dataType, n, c, h, w};
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnDestroyTensorDescriptor(cudnnTensorDescriptor_t desc) {
  delete desc;
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnCreateFilterDescriptor(cudnnFilterDescriptor_t* desc) {
  *desc = new EmulatedFilterDescriptor{};
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetFilter4dDescriptor(cudnnFilterDescriptor_t desc, cudnnDataType_t dataType,
                                         cudnnTensorFormat_t format, int k, int c, int h, int w) {
  if (!desc || k < 1 || c < 1 || h < 1 || w < 1) return bad("cudnnSetFilter4dDescriptor", "a dimension below 1");
  if (int64_t{k} * c * h * w > INT32_MAX) return CUDNN_STATUS_NOT_SUPPORTED;
  *desc = {true, dataType, format, k, c, h, w};
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnDestroyFilterDescriptor(cudnnFilterDescriptor_t desc) {
  delete desc;
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnCreateConvolutionDescriptor(cudnnConvolutionDescriptor_t* desc) {
  *desc = new EmulatedConvolutionDescriptor{};
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetConvolution2dDescriptor(cudnnConvolutionDescriptor_t desc, int pad_h, int pad_w, int u, int v,
                                              int dilation_h, int dilation_w, cudnnConvolutionMode_t mode,
                                              cudnnDataType_t computeType) {
  if (!desc || pad_h < 0 || pad_w < 0 || u < 1 || v < 1 || dilation_h < 1 || dilation_w < 1)
    return bad("cudnnSetConvolution2dDescriptor", "a negative padding or a stride or dilation below 1");
  desc->set = true;
  desc->pad_h = pad_h;
  desc->pad_w = pad_w;
  desc->stride_h = u;
  desc->stride_w = v;
  desc->dilation_h = dilation_h;
  desc->dilation_w = dilation_w;
  desc->mode = mode;
  desc->compute = computeType;
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetConvolutionGroupCount(cudnnConvolutionDescriptor_t desc, int groupCount) {
  if (!desc || groupCount < 1) return bad("cudnnSetConvolutionGroupCount", "a group count below 1");
  desc->groups = groupCount;
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetConvolutionMathType(cudnnConvolutionDescriptor_t desc, cudnnMathType_t mathType) {
  if (!desc) return bad("cudnnSetConvolutionMathType", "a null descriptor");
  desc->math = mathType;
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnDestroyConvolutionDescriptor(cudnnConvolutionDescriptor_t desc) {
  delete desc;
  return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetConvolutionForwardAlgorithm_v7(cudnnHandle_t handle, cudnnTensorDescriptor_t xDesc,
                                                     cudnnFilterDescriptor_t wDesc,
                                                     cudnnConvolutionDescriptor_t convDesc,
                                                     cudnnTensorDescriptor_t yDesc, int requestedAlgoCount,
                                                     int* returnedAlgoCount,
                                                     cudnnConvolutionFwdAlgoPerf_t* perfResults) {
  return rank("cudnnGetConvolutionForwardAlgorithm_v7", handle, xDesc, wDesc, convDesc, yDesc, requestedAlgoCount,
              returnedAlgoCount, perfResults);
}

cudnnStatus_t cudnnGetConvolutionBackwardDataAlgorithm_v7(cudnnHandle_t handle, cudnnFilterDescriptor_t wDesc,
                                                          cudnnTensorDescriptor_t dyDesc,
                                                          cudnnConvolutionDescriptor_t convDesc,
                                                          cudnnTensorDescriptor_t dxDesc, int requestedAlgoCount,
                                                          int* returnedAlgoCount,
                                                          cudnnConvolutionBwdDataAlgoPerf_t* perfResults) {
  return rank("cudnnGetConvolutionBackwardDataAlgorithm_v7", handle, dxDesc, wDesc, convDesc, dyDesc,
              requestedAlgoCount, returnedAlgoCount, perfResults);
}

cudnnStatus_t cudnnGetConvolutionBackwardFilterAlgorithm_v7(cudnnHandle_t handle, cudnnTensorDescriptor_t xDesc,
                                                            cudnnTensorDescriptor_t dyDesc,
                                                            cudnnConvolutionDescriptor_t convDesc,
                                                            cudnnFilterDescriptor_t dwDesc, int requestedAlgoCount,
                                                            int* returnedAlgoCount,
                                                            cudnnConvolutionBwdFilterAlgoPerf_t* perfResults) {
  return rank("cudnnGetConvolutionBackwardFilterAlgorithm_v7", handle, xDesc, dwDesc, convDesc, dyDesc,
              requestedAlgoCount, returnedAlgoCount, perfResults);
}

cudnnStatus_t cudnnConvolutionForward(cudnnHandle_t handle, const void* alpha, cudnnTensorDescriptor_t xDesc,
                                      const void* x, cudnnFilterDescriptor_t wDesc, const void* w,
                                      cudnnConvolutionDescriptor_t convDesc, cudnnConvolutionFwdAlgo_t algo,
                                      void* workSpace, size_t workSpaceSizeInBytes, const void* beta,
                                      cudnnTensorDescriptor_t yDesc, void* y) {
  const char* call = "cudnnConvolutionForward";
  Conv c;
  if (const cudnnStatus_t s = describe(call, xDesc, wDesc, convDesc, yDesc, c); s != CUDNN_STATUS_SUCCESS) return s;
  return convolve(call, handle, c, convDesc->math, algo, workSpace, workSpaceSizeInBytes,
                  {{x, c.x_count()}, {w, c.w_count()}, {y, c.y_count()}}, alpha, beta, y, c.y_count(),
                  [=](std::vector<double>& sum) {
                    for_each_tap(c, [&](size_t xi, size_t wi, size_t yi) {
                      sum[yi] += double(in(x, c, xi)) * in(w, c, wi);
                    });
                  });
}

cudnnStatus_t cudnnConvolutionBackwardData(cudnnHandle_t handle, const void* alpha, cudnnFilterDescriptor_t wDesc,
                                           const void* w, cudnnTensorDescriptor_t dyDesc, const void* dy,
                                           cudnnConvolutionDescriptor_t convDesc, cudnnConvolutionBwdDataAlgo_t algo,
                                           void* workSpace, size_t workSpaceSizeInBytes, const void* beta,
                                           cudnnTensorDescriptor_t dxDesc, void* dx) {
  const char* call = "cudnnConvolutionBackwardData";
  Conv c;
  if (const cudnnStatus_t s = describe(call, dxDesc, wDesc, convDesc, dyDesc, c); s != CUDNN_STATUS_SUCCESS) return s;
  return convolve(call, handle, c, convDesc->math, algo, workSpace, workSpaceSizeInBytes,
                  {{dx, c.x_count()}, {w, c.w_count()}, {dy, c.y_count()}}, alpha, beta, dx, c.x_count(),
                  [=](std::vector<double>& sum) {
                    for_each_tap(c, [&](size_t xi, size_t wi, size_t yi) {
                      sum[xi] += double(in(dy, c, yi)) * in(w, c, wi);
                    });
                  });
}

cudnnStatus_t cudnnConvolutionBackwardFilter(cudnnHandle_t handle, const void* alpha, cudnnTensorDescriptor_t xDesc,
                                             const void* x, cudnnTensorDescriptor_t dyDesc, const void* dy,
                                             cudnnConvolutionDescriptor_t convDesc,
                                             cudnnConvolutionBwdFilterAlgo_t algo, void* workSpace,
                                             size_t workSpaceSizeInBytes, const void* beta,
                                             cudnnFilterDescriptor_t dwDesc, void* dw) {
  const char* call = "cudnnConvolutionBackwardFilter";
  Conv c;
  if (const cudnnStatus_t s = describe(call, xDesc, dwDesc, convDesc, dyDesc, c); s != CUDNN_STATUS_SUCCESS) return s;
  return convolve(call, handle, c, convDesc->math, algo, workSpace, workSpaceSizeInBytes,
                  {{x, c.x_count()}, {dw, c.w_count()}, {dy, c.y_count()}}, alpha, beta, dw, c.w_count(),
                  [=](std::vector<double>& sum) {
                    for_each_tap(c, [&](size_t xi, size_t wi, size_t yi) {
                      sum[wi] += double(in(dy, c, yi)) * in(x, c, xi);
                    });
                  });
}

// ---- cuBLAS ----

namespace {

cublasStatus_t invalid(const std::string& why) {
  report("cublasGemmEx: " + why);
  return CUBLAS_STATUS_INVALID_VALUE;
}

size_t type_bytes(cudaDataType type) { return type == CUDA_R_16BF ? 2 : 4; }

// Bytes a column-major rows×cols matrix with leading dimension ld spans.
size_t extent(int rows, int cols, int ld, cudaDataType type) {
  if (rows == 0 || cols == 0) return 0;
  return (size_t(cols - 1) * ld + rows) * type_bytes(type);
}

}  // namespace

cublasStatus_t cublasCreate(cublasHandle_t* handle) {
  *handle = new EmulatedCublas{};
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDestroy(cublasHandle_t handle) {
  delete handle;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetStream(cublasHandle_t handle, cudaStream_t stream) {
  if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
  handle->stream = stream;
  // as cuBLAS does: setting the stream resets the workspace to its own pool
  handle->workspace = nullptr;
  handle->workspace_bytes = 0;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetWorkspace(cublasHandle_t handle, void* workspace, size_t workspaceSizeInBytes) {
  if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (workspaceSizeInBytes > 0 && !prunas_emulation::is_device_range(workspace, workspaceSizeInBytes))
    return invalid("the workspace is not device memory of its size");
  if (reinterpret_cast<uintptr_t>(workspace) % 256 != 0) return invalid("the workspace is not 256-byte aligned");
  handle->workspace = workspace;
  handle->workspace_bytes = workspaceSizeInBytes;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode) {
  if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
  if ((mode & ~CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION) != CUBLAS_DEFAULT_MATH)
    return invalid("a math mode that is not emulated");
  handle->math = mode;
  return CUBLAS_STATUS_SUCCESS;
}

const char* cublasGetStatusString(cublasStatus_t status) {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
  }
  return "CUBLAS_STATUS_UNKNOWN";
}

cublasStatus_t cublasGetProperty(libraryPropertyType type, int* value) {
  *value = type == MAJOR_VERSION ? 13 : 0;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                            int k, const void* alpha, const void* A, cudaDataType Atype, int lda, const void* B,
                            cudaDataType Btype, int ldb, const void* beta, void* C, cudaDataType Ctype, int ldc,
                            cublasComputeType_t computeType, cublasGemmAlgo_t) {
  if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (transa > CUBLAS_OP_T || transb > CUBLAS_OP_T) return invalid("only N and T are emulated");
  if (m < 0 || n < 0 || k < 0) return invalid("a negative dimension");
  const int a_rows = transa == CUBLAS_OP_N ? m : k, a_cols = transa == CUBLAS_OP_N ? k : m;
  const int b_rows = transb == CUBLAS_OP_N ? k : n, b_cols = transb == CUBLAS_OP_N ? n : k;
  if (lda < std::max(1, a_rows) || ldb < std::max(1, b_rows) || ldc < std::max(1, m))
    return invalid("a leading dimension below its matrix's rows (lda " + std::to_string(lda) + ", ldb " +
                   std::to_string(ldb) + ", ldc " + std::to_string(ldc) + " for m " + std::to_string(m) + ", n " +
                   std::to_string(n) + ", k " + std::to_string(k) + ")");
  const bool fp32 = Atype == CUDA_R_32F && Btype == CUDA_R_32F && Ctype == CUDA_R_32F &&
                    (computeType == CUBLAS_COMPUTE_32F || computeType == CUBLAS_COMPUTE_32F_FAST_TF32);
  const bool bf16 = Atype == CUDA_R_16BF && Btype == CUDA_R_16BF && (Ctype == CUDA_R_16BF || Ctype == CUDA_R_32F) &&
                    computeType == CUBLAS_COMPUTE_32F;
  if (!fp32 && !bf16) {
    report("cublasGemmEx: a type and compute combination that is not emulated");
    return CUBLAS_STATUS_NOT_SUPPORTED;
  }
  if (m == 0 || n == 0) return CUBLAS_STATUS_SUCCESS;
  if (handle->workspace == nullptr && prunas_emulation::is_capturing(handle->stream))
    return invalid("the stream is captured and no workspace was set since cublasSetStream");
  if (!prunas_emulation::is_device_range(A, extent(a_rows, a_cols, lda, Atype)) ||
      !prunas_emulation::is_device_range(B, extent(b_rows, b_cols, ldb, Btype)) ||
      !prunas_emulation::is_device_range(C, extent(m, n, ldc, Ctype)))
    return invalid("a matrix is not device memory over the extent its dimensions span");
  const float a = *static_cast<const float*>(alpha), b = *static_cast<const float*>(beta);
  const bool round_tf32 = computeType == CUBLAS_COMPUTE_32F_FAST_TF32;
  const bool a16 = Atype == CUDA_R_16BF, c16 = Ctype == CUDA_R_16BF;
  const bool queued = enqueue(handle->stream, "cublasGemmEx", [=] {
    auto at = [&](const void* p, int ld, bool transposed, int row, int col) {
      const size_t i = transposed ? size_t(row) * ld + col : size_t(col) * ld + row;
      const float v = load(p, a16, i);
      return round_tf32 ? tf32(v) : v;
    };
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < m; ++i) {
        double sum = 0.0;
        for (int l = 0; l < k; ++l)
          sum += double(at(A, lda, transa == CUBLAS_OP_T, i, l)) * at(B, ldb, transb == CUBLAS_OP_T, l, j);
        write(C, c16, size_t(j) * ldc + i, sum, a, b);
      }
  });
  return queued ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_EXECUTION_FAILED;
}
