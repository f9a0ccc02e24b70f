// Depthwise convolution on the GPU, forward and backward: our own kernels
// (cuDNN is weak on depthwise). Same layout and loop order as
// native/cpu/depthwise.cc: NHWC input, weights [kh][kw][c], one thread per
// output (or input-gradient) element, channels fastest so a warp reads
// contiguous memory. The weight gradient sums chunk partials in double.
// Activations (x, y, dx, dy) are float or bf16; weights and their gradients float.
#include "cuda/bf16_kernels.h"
#include "cuda/check.h"
#include "cuda/device_common.cuh"
#include "cuda/kernels.h"

namespace prunas::cuda {

namespace {

struct Geometry {
  int64_t n, h, w, c, kh, kw, sh, sw, ph, pw, ho, wo;
};

Geometry geometry_of(const cpu::DepthwiseShape& s) {
  return {s.n, s.h, s.w, s.c, s.kh, s.kw, s.sh, s.sw, s.ph, s.pw, s.ho(), s.wo()};
}

template <typename T>
__global__ void forward_kernel(T* y, const T* x, const float* w, const float* bias, Geometry g) {
  const int64_t total = g.n * g.ho * g.wo * g.c;
  PRUNAS_GRID_STRIDE(idx, total) {
    const int64_t ch = idx % g.c;
    int64_t rest = idx / g.c;
    const int64_t ow = rest % g.wo;
    rest /= g.wo;
    const int64_t oh = rest % g.ho;
    const int64_t img = rest / g.ho;
    float acc = bias ? bias[ch] : 0.0f;
    for (int64_t i = 0; i < g.kh; ++i) {
      const int64_t ih = oh * g.sh - g.ph + i;
      if (ih < 0 || ih >= g.h) continue;
      for (int64_t j = 0; j < g.kw; ++j) {
        const int64_t iw = ow * g.sw - g.pw + j;
        if (iw < 0 || iw >= g.w) continue;
        acc += to_float(x[((img * g.h + ih) * g.w + iw) * g.c + ch]) * w[(i * g.kw + j) * g.c + ch];
      }
    }
    y[idx] = from_float<T>(acc);
  }
}

// dx gathered from the outputs that read each input element.
template <typename T>
__global__ void backward_input_kernel(T* dx, const T* dy, const float* w, Geometry g) {
  const int64_t total = g.n * g.h * g.w * g.c;
  PRUNAS_GRID_STRIDE(idx, total) {
    const int64_t ch = idx % g.c;
    int64_t rest = idx / g.c;
    const int64_t iw = rest % g.w;
    rest /= g.w;
    const int64_t ih = rest % g.h;
    const int64_t img = rest / g.h;
    float acc = 0.0f;
    for (int64_t i = 0; i < g.kh; ++i) {
      const int64_t t = ih + g.ph - i;
      if (t < 0 || t % g.sh != 0 || t / g.sh >= g.ho) continue;
      for (int64_t j = 0; j < g.kw; ++j) {
        const int64_t u = iw + g.pw - j;
        if (u < 0 || u % g.sw != 0 || u / g.sw >= g.wo) continue;
        acc += to_float(dy[((img * g.ho + t / g.sh) * g.wo + u / g.sw) * g.c + ch]) * w[(i * g.kw + j) * g.c + ch];
      }
    }
    dx[idx] = from_float<T>(acc);
  }
}

// partial[chunk][tap·c + ch] (and partial_bias[chunk][ch]) over output rows
// [chunk·per_chunk, ...) of the flattened (image, output row) index.
template <typename T>
__global__ void backward_weight_partials(double* partial, double* partial_bias, const T* dy, const T* x, Geometry g,
                                         int64_t chunks, int64_t per_chunk) {
  const int64_t taps = g.kh * g.kw;
  const int64_t width = (taps + 1) * g.c;  // the last c cells: the bias
  PRUNAS_GRID_STRIDE(idx, chunks * width) {
    const int64_t cell = idx % width, chunk = idx / width;
    const int64_t ch = cell % g.c, tap = cell / g.c;
    const int64_t row_end = min(g.n * g.ho, (chunk + 1) * per_chunk);
    double acc = 0.0;
    for (int64_t r = chunk * per_chunk; r < row_end; ++r) {
      const int64_t img = r / g.ho, oh = r % g.ho;
      if (tap == taps) {
        for (int64_t ow = 0; ow < g.wo; ++ow) acc += to_float(dy[(r * g.wo + ow) * g.c + ch]);
        continue;
      }
      const int64_t i = tap / g.kw, j = tap % g.kw;
      const int64_t ih = oh * g.sh - g.ph + i;
      if (ih < 0 || ih >= g.h) continue;
      for (int64_t ow = 0; ow < g.wo; ++ow) {
        const int64_t iw = ow * g.sw - g.pw + j;
        if (iw < 0 || iw >= g.w) continue;
        acc += static_cast<double>(to_float(dy[(r * g.wo + ow) * g.c + ch])) *
               to_float(x[((img * g.h + ih) * g.w + iw) * g.c + ch]);
      }
    }
    if (tap == taps)
      partial_bias[chunk * g.c + ch] = acc;
    else
      partial[chunk * taps * g.c + cell] = acc;
  }
}

// out[i] = Σ_chunk partial[chunk][i] in column blocks (column_total).
__global__ void __launch_bounds__(1024) sum_chunks(float* out, const double* partial, int64_t chunks, int64_t width) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * 32 + threadIdx.x;
  const double s = column_total(partial, chunks, width, i);
  if (threadIdx.y == 0 && i < width) out[i] = static_cast<float>(s);
}

template <typename T>
void forward_as(DeviceContext& ctx, T* y, const T* x, const float* w, const float* bias,
                const cpu::DepthwiseShape& s) {
  cpu::check_depthwise_shape(s);
  const Geometry g = geometry_of(s);
  forward_kernel<T><<<grid_for(g.n * g.ho * g.wo * g.c), kThreads, 0, ctx.stream()>>>(y, x, w, bias, g);
  PRUNAS_CHECK_LAUNCH("depthwise forward_kernel");
}

template <typename T>
void backward_as(DeviceContext& ctx, T* dx, float* dw, float* db, const T* dy, const T* x, const float* w,
                 const cpu::DepthwiseShape& s) {
  cpu::check_depthwise_shape(s);
  const Geometry g = geometry_of(s);
  if (dx) {
    backward_input_kernel<T><<<grid_for(g.n * g.h * g.w * g.c), kThreads, 0, ctx.stream()>>>(dx, dy, w, g);
    PRUNAS_CHECK_LAUNCH("depthwise backward_input_kernel");
  }
  if (!dw && !db) return;
  // Chunks of whole output rows sized by their pixels (about 256 each): a
  // chunk of 256 rows would leave one thread with a long serial sum at 112².
  const int64_t taps = g.kh * g.kw, rows = g.n * g.ho;
  const int64_t wanted = std::min(rows, reduction_chunks(rows * g.wo, (taps + 1) * g.c));
  const int64_t per_chunk = (rows + wanted - 1) / wanted;
  const int64_t chunks = (rows + per_chunk - 1) / per_chunk;
  DeviceArray<double> partial(ctx, chunks * taps * g.c), partial_bias(ctx, chunks * g.c);
  backward_weight_partials<T><<<grid_for(chunks * (taps + 1) * g.c), kThreads, 0, ctx.stream()>>>(
      partial.data(), partial_bias.data(), dy, x, g, chunks, per_chunk);
  PRUNAS_CHECK_LAUNCH("depthwise backward_weight_partials");
  if (dw) {
    sum_chunks<<<column_blocks(taps * g.c), column_block(), 0, ctx.stream()>>>(dw, partial.data(), chunks, taps * g.c);
    PRUNAS_CHECK_LAUNCH("depthwise sum_chunks (weight)");
  }
  if (db) {
    sum_chunks<<<column_blocks(g.c), column_block(), 0, ctx.stream()>>>(db, partial_bias.data(), chunks, g.c);
    PRUNAS_CHECK_LAUNCH("depthwise sum_chunks (bias)");
  }
}

}  // namespace

void depthwise_forward(DeviceContext& ctx, float* y, const float* x, const float* w, const float* bias,
                       const cpu::DepthwiseShape& s) {
  forward_as(ctx, y, x, w, bias, s);
}
void depthwise_forward(DeviceContext& ctx, bf16* y, const bf16* x, const float* w, const float* bias,
                       const cpu::DepthwiseShape& s) {
  forward_as(ctx, y, x, w, bias, s);
}

void depthwise_backward(DeviceContext& ctx, float* dx, float* dw, float* db, const float* dy, const float* x,
                        const float* w, const cpu::DepthwiseShape& s) {
  backward_as(ctx, dx, dw, db, dy, x, w, s);
}
void depthwise_backward(DeviceContext& ctx, bf16* dx, float* dw, float* db, const bf16* dy, const bf16* x,
                        const float* w, const cpu::DepthwiseShape& s) {
  backward_as(ctx, dx, dw, db, dy, x, w, s);
}

}  // namespace prunas::cuda
