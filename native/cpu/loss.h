#pragma once
#include <cstdint>

namespace prunas::cpu {

// Softmax cross-entropy with label smoothing ε, mean over the batch
// (PyTorch CrossEntropyLoss(label_smoothing=ε)): the target is
// (1 − ε)·onehot + ε/k. Writes dlogits = (softmax − target)/n (when not
// null) and the number of rows whose argmax (first maximum) equals the label
// into *correct (when not null). Labels must lie in [0, k), else a range
// error naming the first bad one. Returns the mean loss. Rows are computed
// in double and summed in row order: the result does not depend on threads.
double softmax_cross_entropy(float* dlogits, int64_t* correct, const float* logits, const int32_t* labels, int64_t n,
                             int64_t k, double smoothing);

// Mean squared error mean((a − b)²) over n values; da = 2(a − b)/n when not
// null (the gradient for b is −da). Summed in double over fixed blocks.
double mse_loss(float* da, const float* a, const float* b, int64_t n);

}  // namespace prunas::cpu
