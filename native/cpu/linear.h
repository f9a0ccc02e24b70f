#pragma once
#include <cstdint>

namespace prunas::cpu {

// y[rows, out] = x[rows, in] · W[out, in]^T (+ b[out]).
// Serves both the classifier and the pointwise (1×1, stride 1) convolution,
// whose rows are the N·H·W pixels of an NHWC tensor.
void linear_forward(float* y, const float* x, const float* w, const float* bias, int64_t rows, int64_t in,
                    int64_t out);

// dx = dy · W, dW = dy^T · x, db = Σ_rows dy. Any of dx, dw, db may be null.
// Gradients overwrite their outputs.
void linear_backward(float* dx, float* dw, float* db, const float* dy, const float* x, const float* w, int64_t rows,
                     int64_t in, int64_t out);

}  // namespace prunas::cpu
