// Dense and grouped convolution and linear layers on the GPU with our own
// kernels, for builds without cuDNN and cuBLAS (library_fallback.cc routes
// the library entry points here). Same layouts and semantics as
// native/cpu/conv2d.cc and native/cpu/linear.cc: NHWC activations, OHWI conv
// weights, [out][in] linear weights, gradients overwrite their outputs.
//
// Every product is one shared-memory tiled SGEMM, C[M][N] = A[M][K]·B[K][N],
// whose operands are read through small views: a plain matrix (row-major or
// transposed), or an implicit one gathered from the tensors on the fly
// (implicit GEMM, no im2col buffer):
//   linear  y  = x·Wᵀ     dx = dy·W            dW = dyᵀ·x
//   conv    y  = cols·Wᵀ  dx = dy_taps·W_taps  dW = dyᵀ·cols   (per group)
// cols[p][(i·kw + j)·cg + c] is the input patch of output pixel p (zero in
// the padding), dy_taps[q][(i·kw + j)·cog + o] the output gradient that
// input pixel q reaches through tap (i, j) (zero where no output reads q
// through it): dx is the gather form, each input element owned by one thread.
//
// Deterministic: each output element is summed in ascending k by one thread;
// a long K (weight gradients sum over every pixel of the batch) is split into
// slices whose count depends on the shape only, and the slices are added in
// order. No atomics. Bias gradients use column_sums (elementwise.cu).
//
// Activations are float32 or bf16 (bf16_kernels.h): the views widen bf16
// loads to float, the tiles and every sum are float32, y and dx are rounded
// to bf16 once when stored, weights are read in float32 and weight gradients
// written in float32. The float32 instantiation is the plain float SGEMM.
#include <climits>

#include "cuda/bf16_kernels.h"
#include "cuda/check.h"
#include "cuda/device_common.cuh"
#include "cuda/kernels.h"
#include "cuda/library_kernels.h"

namespace prunas::cuda {

namespace {

// Tile of C per block, depth of one shared-memory step; 256 threads each
// own a 4×4 block of C: rows ty + 16·i, columns tx + 16·j.
constexpr int kTileM = 64, kTileN = 64, kTileK = 16, kGemmThreads = 256, kPerThread = 4;

// Storage ↔ float: exact widening on load, round to nearest even on store.
__host__ __device__ inline float widen(float v) { return v; }
__host__ __device__ inline float widen(bf16 v) { return __bfloat162float(v); }
template <typename T>
__host__ __device__ T narrow(float v);
template <>
__host__ __device__ inline float narrow<float>(float v) { return v; }
template <>
__host__ __device__ inline bf16 narrow<bf16>(float v) { return __float2bfloat16(v); }

// ---- operand views over elements of type T: at(r, c) is element (r, c) as
// a float; kColumnsContiguous says which tile index the threads of a warp
// should walk when loading ----

template <typename T>
struct RowMajor {  // at(r, c) = p[r·ld + c]
  const T* p;
  int64_t ld;
  static constexpr bool kColumnsContiguous = true;
  __host__ __device__ float at(int64_t r, int64_t c) const { return widen(p[r * ld + c]); }
};

template <typename T>
struct Transposed {  // at(r, c) = p[c·ld + r]
  const T* p;
  int64_t ld;
  static constexpr bool kColumnsContiguous = false;
  __host__ __device__ float at(int64_t r, int64_t c) const { return widen(p[c * ld + r]); }
};

struct ConvGeometry {
  int64_t n, h, w, cin, cout, kh, kw, sh, sw, ph, pw, ho, wo, cg, cog;
};

ConvGeometry geometry_of(const cpu::Conv2dShape& s) {
  return {s.n, s.h, s.w, s.cin, s.cout, s.kh, s.kw, s.sh, s.sw, s.ph, s.pw,
          s.ho(), s.wo(), s.cin / s.groups, s.cout / s.groups};
}

// cols of group g: row p = (img·ho + oh)·wo + ow, column (i·kw + j)·cg + c.
template <typename T>
struct Patches {
  const T* x;
  ConvGeometry g;
  int64_t group;
  static constexpr bool kColumnsContiguous = true;
  __host__ __device__ float at(int64_t p, int64_t k) const {
    const int64_t c = k % g.cg, tap = k / g.cg;
    const int64_t ow = p % g.wo, oh = p / g.wo % g.ho, img = p / (g.wo * g.ho);
    const int64_t ih = oh * g.sh - g.ph + tap / g.kw, iw = ow * g.sw - g.pw + tap % g.kw;
    if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) return 0.0f;
    return widen(x[((img * g.h + ih) * g.w + iw) * g.cin + group * g.cg + c]);
  }
};

// dy_taps of group g: row q = (img·h + ih)·w + iw, column (i·kw + j)·cog + o:
// dy[img, oh, ow, g·cog + o] where ih = oh·sh − ph + i and iw = ow·sw − pw + j.
template <typename T>
struct OutputGradientTaps {
  const T* dy;
  ConvGeometry g;
  int64_t group;
  static constexpr bool kColumnsContiguous = true;
  __host__ __device__ float at(int64_t q, int64_t k) const {
    const int64_t o = k % g.cog, tap = k / g.cog;
    const int64_t iw = q % g.w, ih = q / g.w % g.h, img = q / (g.w * g.h);
    const int64_t t = ih + g.ph - tap / g.kw, u = iw + g.pw - tap % g.kw;
    if (t < 0 || u < 0 || t % g.sh != 0 || u % g.sw != 0) return 0.0f;
    const int64_t oh = t / g.sh, ow = u / g.sw;
    if (oh >= g.ho || ow >= g.wo) return 0.0f;
    return widen(dy[((img * g.ho + oh) * g.wo + ow) * g.cout + group * g.cog + o]);
  }
};

// W_taps of group g: row (i·kw + j)·cog + o, column c: w[g·cog + o][i][j][c].
struct WeightTaps {
  const float* w;
  ConvGeometry g;
  int64_t group;
  static constexpr bool kColumnsContiguous = true;
  __host__ __device__ float at(int64_t k, int64_t c) const {
    const int64_t o = k % g.cog, tap = k / g.cog;
    return w[((group * g.cog + o) * g.kh * g.kw + tap) * g.cg + c];
  }
};

// C[m][n] at c[m·ldc + n] (stored as Out); slice z of a split K writes
// c + z·slice_stride.
template <typename A, typename B, typename Out>
struct Gemm {
  A a;
  B b;
  Out* c;
  int64_t ldc, m, n, k;
  int64_t k_per_slice, slice_stride;
};

// The three phases of one block, written for one thread t so that they run
// the same on the device (kernel below) and in a host emulation of a block.
// Shared tiles as[kk][mm], bs[kk][nn] (one padding column keeps the stores of
// a transposing load off a single bank); zero outside the matrices and the
// K slice.
template <typename A, typename B, typename Out>
__host__ __device__ void load_tiles(float (*as)[kTileM + 1], float (*bs)[kTileN + 1], const Gemm<A, B, Out>& g, int t,
                                    int64_t m0, int64_t n0, int64_t k0, int64_t k_end) {
  for (int e = t; e < kTileM * kTileK; e += kGemmThreads) {
    const int mm = A::kColumnsContiguous ? e / kTileK : e % kTileM;
    const int kk = A::kColumnsContiguous ? e % kTileK : e / kTileM;
    const int64_t r = m0 + mm, col = k0 + kk;
    as[kk][mm] = r < g.m && col < k_end ? g.a.at(r, col) : 0.0f;
  }
  for (int e = t; e < kTileK * kTileN; e += kGemmThreads) {
    const int nn = B::kColumnsContiguous ? e % kTileN : e / kTileK;
    const int kk = B::kColumnsContiguous ? e / kTileN : e % kTileK;
    const int64_t r = k0 + kk, col = n0 + nn;
    bs[kk][nn] = r < k_end && col < g.n ? g.b.at(r, col) : 0.0f;
  }
}

__host__ __device__ inline void multiply_tiles(const float (*as)[kTileM + 1], const float (*bs)[kTileN + 1], int t,
                                               float (*acc)[kPerThread]) {
  const int ty = t / 16, tx = t % 16;
  for (int kk = 0; kk < kTileK; ++kk) {
    float a[kPerThread], b[kPerThread];
    for (int i = 0; i < kPerThread; ++i) a[i] = as[kk][ty + 16 * i];
    for (int j = 0; j < kPerThread; ++j) b[j] = bs[kk][tx + 16 * j];
    for (int i = 0; i < kPerThread; ++i)
      for (int j = 0; j < kPerThread; ++j) acc[i][j] += a[i] * b[j];
  }
}

template <typename A, typename B, typename Out>
__host__ __device__ void store_tile(const Gemm<A, B, Out>& g, int t, int64_t m0, int64_t n0, int64_t slice,
                                    const float (*acc)[kPerThread]) {
  const int ty = t / 16, tx = t % 16;
  Out* c = g.c + slice * g.slice_stride;
  for (int i = 0; i < kPerThread; ++i) {
    const int64_t r = m0 + ty + 16 * i;
    if (r >= g.m) continue;
    for (int j = 0; j < kPerThread; ++j) {
      const int64_t col = n0 + tx + 16 * j;
      if (col < g.n) c[r * g.ldc + col] = narrow<Out>(acc[i][j]);
    }
  }
}

// grid (M tiles, N tiles, K slices), kGemmThreads threads.
template <typename A, typename B, typename Out>
__global__ void __launch_bounds__(kGemmThreads) gemm_kernel(Gemm<A, B, Out> g) {
  __shared__ float as[kTileK][kTileM + 1];
  __shared__ float bs[kTileK][kTileN + 1];
  const int t = static_cast<int>(threadIdx.x);
  const int64_t m0 = static_cast<int64_t>(blockIdx.x) * kTileM, n0 = static_cast<int64_t>(blockIdx.y) * kTileN;
  const int64_t k_begin = blockIdx.z * g.k_per_slice, k_end = min(g.k, k_begin + g.k_per_slice);
  float acc[kPerThread][kPerThread] = {};
  for (int64_t k0 = k_begin; k0 < k_end; k0 += kTileK) {
    load_tiles(as, bs, g, t, m0, n0, k0, k_end);
    __syncthreads();
    multiply_tiles(as, bs, t, acc);
    __syncthreads();
  }
  store_tile(g, t, m0, n0, blockIdx.z, acc);
}

// c[m·ldc + n] = Σ_slice partial[slice][m][n], slices in order.
template <typename Out>
__global__ void sum_slices(Out* c, int64_t ldc, const float* partial, int64_t slices, int64_t m, int64_t n) {
  PRUNAS_GRID_STRIDE(idx, m * n) {
    float s = 0.0f;
    for (int64_t z = 0; z < slices; ++z) s += partial[z * m * n + idx];
    c[(idx / n) * ldc + idx % n] = narrow<Out>(s);
  }
}

int64_t tiles(int64_t size, int64_t tile) { return (size + tile - 1) / tile; }

// The grid of one product: C tiles × K slices. One slice unless the C tiles
// alone leave the GPU idle (weight gradients: small C, K = every pixel of the
// batch); then slices of whole K tiles, each at least 512 deep (the last one
// may be shorter), for about 1024 blocks. Depends on the shape only.
struct GemmPlan {
  int64_t tiles_m, tiles_n, slices, per_slice;
};

GemmPlan plan_of(int64_t m, int64_t n, int64_t k) {
  GemmPlan p{tiles(m, kTileM), tiles(n, kTileN), 1, k};
  const int64_t wanted = std::min(tiles(1024, p.tiles_m * p.tiles_n), k / 512);
  if (wanted > 1) {
    p.per_slice = tiles(tiles(k, wanted), kTileK) * kTileK;
    p.slices = tiles(k, p.per_slice);
  }
  return p;
}

// C (m×n, ldc) = A·B over K = k (k = 0 writes zeros).
template <typename A, typename B, typename Out>
void gemm(DeviceContext& ctx, const A& a, const B& b, Out* c, int64_t ldc, int64_t m, int64_t n, int64_t k) {
  if (m == 0 || n == 0) return;
  const GemmPlan p = plan_of(m, n, k);
  check_range("gemm tiles along M", p.tiles_m, 1, INT32_MAX);
  check_range("gemm tiles along N", p.tiles_n, 1, 65535);
  const dim3 grid(static_cast<unsigned>(p.tiles_m), static_cast<unsigned>(p.tiles_n), static_cast<unsigned>(p.slices));
  if (p.slices == 1) {
    gemm_kernel<A, B, Out><<<grid, kGemmThreads, 0, ctx.stream()>>>(Gemm<A, B, Out>{a, b, c, ldc, m, n, k, k, 0});
    PRUNAS_CHECK_LAUNCH("fallback gemm_kernel");
    return;
  }
  DeviceArray<float> partial(ctx, p.slices * m * n);
  gemm_kernel<A, B, float><<<grid, kGemmThreads, 0, ctx.stream()>>>(
      Gemm<A, B, float>{a, b, partial.data(), n, m, n, k, p.per_slice, m * n});
  PRUNAS_CHECK_LAUNCH("fallback gemm_kernel (K slices)");
  sum_slices<Out><<<grid_for(m * n), kThreads, 0, ctx.stream()>>>(c, ldc, partial.data(), p.slices, m, n);
  PRUNAS_CHECK_LAUNCH("fallback sum_slices");
}

void check_linear(int64_t rows, int64_t in, int64_t out) {
  check_range("linear rows", rows, 0, int64_t{1} << 40);
  check_range("linear in", in, 1, int64_t{1} << 40);
  check_range("linear out", out, 1, int64_t{1} << 40);
}

// The layers for activations of type T (float or bf16); weights and weight
// gradients float32. add_bias and column_sums resolve to T's overloads.
template <typename T>
void linear_forward_as(DeviceContext& ctx, T* y, const T* x, const float* w, const float* bias, int64_t rows,
                       int64_t in, int64_t out) {
  check_linear(rows, in, out);
  gemm(ctx, RowMajor<T>{x, in}, Transposed<float>{w, in}, y, out, rows, out, in);
  if (bias && rows > 0) add_bias(ctx, y, bias, rows, out);
}

template <typename T>
void linear_backward_as(DeviceContext& ctx, T* dx, float* dw, float* db, const T* dy, const T* x, const float* w,
                        int64_t rows, int64_t in, int64_t out) {
  check_linear(rows, in, out);
  if (dx) gemm(ctx, RowMajor<T>{dy, out}, RowMajor<float>{w, in}, dx, in, rows, in, out);
  if (dw) gemm(ctx, Transposed<T>{dy, out}, RowMajor<T>{x, in}, dw, in, out, in, rows);
  if (db) column_sums(ctx, db, dy, rows, out);
}

template <typename T>
void conv2d_forward_as(DeviceContext& ctx, T* y, const T* x, const float* w, const float* bias,
                       const cpu::Conv2dShape& s) {
  cpu::check_conv2d_shape(s);
  const ConvGeometry g = geometry_of(s);
  const int64_t patch = s.kh * s.kw * g.cg, pixels = s.n * g.ho * g.wo;
  for (int64_t group = 0; group < s.groups; ++group)
    gemm(ctx, Patches<T>{x, g, group}, Transposed<float>{w + group * g.cog * patch, patch}, y + group * g.cog,
         s.cout, pixels, g.cog, patch);
  if (bias) add_bias(ctx, y, bias, pixels, s.cout);
}

template <typename T>
void conv2d_backward_as(DeviceContext& ctx, T* dx, float* dw, float* db, const T* dy, const T* x, const float* w,
                        const cpu::Conv2dShape& s) {
  cpu::check_conv2d_shape(s);
  const ConvGeometry g = geometry_of(s);
  const int64_t patch = s.kh * s.kw * g.cg, pixels = s.n * g.ho * g.wo;
  for (int64_t group = 0; group < s.groups; ++group) {
    if (dx)
      gemm(ctx, OutputGradientTaps<T>{dy, g, group}, WeightTaps{w, g, group}, dx + group * g.cg, s.cin,
           s.n * s.h * s.w, g.cg, s.kh * s.kw * g.cog);
    if (dw)
      gemm(ctx, Transposed<T>{dy + group * g.cog, s.cout}, Patches<T>{x, g, group}, dw + group * g.cog * patch,
           patch, g.cog, patch, pixels);
  }
  if (db) column_sums(ctx, db, dy, pixels, s.cout);
}

}  // namespace

void fallback_linear_forward(DeviceContext& ctx, float* y, const float* x, const float* w, const float* bias,
                             int64_t rows, int64_t in, int64_t out) {
  linear_forward_as(ctx, y, x, w, bias, rows, in, out);
}

void fallback_linear_backward(DeviceContext& ctx, float* dx, float* dw, float* db, const float* dy, const float* x,
                              const float* w, int64_t rows, int64_t in, int64_t out) {
  linear_backward_as(ctx, dx, dw, db, dy, x, w, rows, in, out);
}

void fallback_conv2d_forward(DeviceContext& ctx, float* y, const float* x, const float* w, const float* bias,
                             const cpu::Conv2dShape& s) {
  conv2d_forward_as(ctx, y, x, w, bias, s);
}

void fallback_conv2d_backward(DeviceContext& ctx, float* dx, float* dw, float* db, const float* dy, const float* x,
                              const float* w, const cpu::Conv2dShape& s) {
  conv2d_backward_as(ctx, dx, dw, db, dy, x, w, s);
}

void fallback_linear_forward(DeviceContext& ctx, bf16* y, const bf16* x, const float* w, const float* bias,
                             int64_t rows, int64_t in, int64_t out) {
  linear_forward_as(ctx, y, x, w, bias, rows, in, out);
}

void fallback_linear_backward(DeviceContext& ctx, bf16* dx, float* dw, float* db, const bf16* dy, const bf16* x,
                              const float* w, int64_t rows, int64_t in, int64_t out) {
  linear_backward_as(ctx, dx, dw, db, dy, x, w, rows, in, out);
}

void fallback_conv2d_forward(DeviceContext& ctx, bf16* y, const bf16* x, const float* w, const float* bias,
                             const cpu::Conv2dShape& s) {
  conv2d_forward_as(ctx, y, x, w, bias, s);
}

void fallback_conv2d_backward(DeviceContext& ctx, bf16* dx, float* dw, float* db, const bf16* dy, const bf16* x,
                              const float* w, const cpu::Conv2dShape& s) {
  conv2d_backward_as(ctx, dx, dw, db, dy, x, w, s);
}

}  // namespace prunas::cuda
