// Activations and the residual add, forward and backward side by side.
// At a kink (x == 0 for ReLU, x == 0 or 6 for ReLU6, x == +-3 for h-swish)
// the gradient follows PyTorch's convention.
#include "cpu/activation.h"

#include <algorithm>

#include "core/thread_pool.h"

namespace prunas::cpu {

namespace {
constexpr int64_t kElementwiseChunk = 1 << 15;

template <typename F>
void elementwise(int64_t n, F f) {
  parallel_for(n, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) f(i);
  }, kElementwiseChunk);
}
}  // namespace

void relu_forward(float* y, const float* x, int64_t n) {
  elementwise(n, [=](int64_t i) { y[i] = x[i] > 0.0f ? x[i] : 0.0f; });
}

void relu_backward(float* dx, const float* dy, const float* x, int64_t n) {
  elementwise(n, [=](int64_t i) { dx[i] = relu_grad(x[i], dy[i]); });
}

void relu6_forward(float* y, const float* x, int64_t n) {
  elementwise(n, [=](int64_t i) { y[i] = std::min(std::max(x[i], 0.0f), 6.0f); });
}

void relu6_backward(float* dx, const float* dy, const float* x, int64_t n) {
  elementwise(n, [=](int64_t i) { dx[i] = relu6_grad(x[i], dy[i]); });
}

// h-swish(x) = x * relu6(x + 3) / 6
void hswish_forward(float* y, const float* x, int64_t n) {
  elementwise(n, [=](int64_t i) { y[i] = x[i] * std::min(std::max(x[i] + 3.0f, 0.0f), 6.0f) * (1.0f / 6.0f); });
}

void hswish_backward(float* dx, const float* dy, const float* x, int64_t n) {
  elementwise(n, [=](int64_t i) { dx[i] = hswish_grad(x[i], dy[i]); });
}

void add_forward(float* y, const float* a, const float* b, int64_t n) {
  elementwise(n, [=](int64_t i) { y[i] = a[i] + b[i]; });
}

}  // namespace prunas::cpu
