#include "nn/conv_bn.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace prunas::nn {

namespace {

constexpr float kBnEps = 1e-5f;

int64_t weight_size(ConvKind kind, int64_t cin, int64_t cout, int64_t k) {
  switch (kind) {
    case ConvKind::Dense: return cout * k * k * cin;
    case ConvKind::Depthwise: return k * k * cout;
    case ConvKind::Pointwise: return cout * cin;
  }
  return 0;
}

}  // namespace

ConvBn::ConvBn(const std::string& name, ConvKind kind, int64_t cin, int64_t cout, int64_t kernel, int64_t stride,
               Act act, Philox& init)
    : name_(name), kind_(kind), cin_(cin), cout_(cout), kernel_(kernel), stride_(stride), act_(act),
      weight_(name + ".weight", weight_size(kind, cin, cout, kernel)), gamma_(name + ".bn.weight", cout, 1.0f),
      beta_(name + ".bn.bias", cout, 0.0f), running_mean_(static_cast<size_t>(cout), 0.0f),
      running_var_(static_cast<size_t>(cout), 1.0f) {
  if (kind == ConvKind::Depthwise && cin != cout) throw_range(name + ": depthwise needs cin == cout");
  if (kind == ConvKind::Pointwise && (kernel != 1 || stride != 1)) throw_range(name + ": pointwise is 1×1 stride 1");
  // Kaiming normal, fan_out mode, as torchvision initialises MobileNetV2.
  weight_.init_normal(init, std::sqrt(2.0f / static_cast<float>(cout * kernel * kernel)));
}

Geometry ConvBn::output_geometry(const Geometry& in) const {
  return {in.n, (in.h + stride_ - 1) / stride_, (in.w + stride_ - 1) / stride_, cout_};
}

void ConvBn::reset_running_stats() {
  std::fill(running_mean_.begin(), running_mean_.end(), 0.0f);
  std::fill(running_var_.begin(), running_var_.end(), 1.0f);
}

ActivationPtr ConvBn::forward(const ActivationPtr& x, const Geometry& in, const Mode& mode, MemoryStats& stats) {
  if (in.c != cin_) throw_range(name_ + ": input has " + std::to_string(in.c) + " channels, expected " + std::to_string(cin_));
  Compute& k = stats.compute;
  const Geometry out = output_geometry(in);
  auto conv_out = make_activation(stats, out.size());
  k.conv_forward(shape(in), conv_out->data(), x->data(), k.mirror(weight_.value));
  const int64_t rows = out.n * out.h * out.w;
  // BN and the activation in one op; without a backward to come, in place
  // (the kernels allow y == x): one buffer per unit instead of two.
  auto mean = make_float32(stats, cout_);
  auto invstd = make_float32(stats, cout_);
  ActivationPtr y = mode.keep ? make_activation(stats, out.size()) : conv_out;
  const float* gamma = k.mirror(gamma_.value);
  const float* beta = k.mirror(beta_.value);
  if (mode.train)
    k.bn_forward_train(y->data(), mean->data(), invstd->data(), mode.update_running ? k.mirror(running_mean_) : nullptr,
                       mode.update_running ? k.mirror(running_var_) : nullptr, conv_out->data(), gamma, beta, rows,
                       cout_, mode.bn_momentum, kBnEps, act_);
  else
    k.bn_forward_eval(y->data(), conv_out->data(), gamma, beta, k.mirror(running_mean_), k.mirror(running_var_), rows,
                      cout_, kBnEps, act_);
  if (mode.keep) {
    x_ = x;
    conv_out_ = conv_out;
    save_mean_ = mean;
    save_invstd_ = invstd;
    in_ = in;
    out_ = out;
    saved_train_ = mode.train;
  }
  return y;
}

ActivationPtr ConvBn::backward(const ActivationPtr& dy, MemoryStats& stats, const Backward& what, Result* output_dot) {
  if (!conv_out_) throw_error(name_ + ": backward without a kept forward");
  if (output_dot && act_ != Act::None) throw_error(name_ + ": output_dot needs a unit without an activation");
  Compute& k = stats.compute;
  const int64_t rows = out_.n * out_.h * out_.w;
  // γ and β gradients: into the parameters, or into scratch when only the
  // input gradient (and ⟨y, dy⟩) is wanted.
  ActivationPtr scratch = what.weight_grads ? nullptr : make_float32(stats, 2 * cout_);
  float* dgamma = scratch ? scratch->data() : k.mirror(gamma_.grad);
  float* dbeta = scratch ? scratch->data() + cout_ : k.mirror(beta_.grad);
  const float* gamma = k.mirror(gamma_.value);
  const float* beta = k.mirror(beta_.value);
  ActivationPtr d_conv = (what.need_dx || what.weight_grads) ? make_activation(stats, out_.size()) : nullptr;
  float* d_conv_data = d_conv ? d_conv->data() : nullptr;
  if (saved_train_)
    k.bn_backward_train(d_conv_data, dgamma, dbeta, dy->data(), conv_out_->data(), gamma, beta, save_mean_->data(),
                        save_invstd_->data(), rows, cout_, act_);
  else
    k.bn_backward_eval(d_conv_data, dgamma, dbeta, dy->data(), conv_out_->data(), gamma, beta,
                       k.mirror(running_mean_), k.mirror(running_var_), rows, cout_, kBnEps, act_);
  if (output_dot) *output_dot = k.dot_float32(beta, dbeta, cout_, k.dot_float32(gamma, dgamma, cout_));
  ActivationPtr dx = what.need_dx ? make_activation(stats, in_.size()) : nullptr;
  float* dw = what.weight_grads ? k.mirror(weight_.grad) : nullptr;
  if (d_conv && (dx || dw))
    k.conv_backward(shape(in_), dx ? dx->data() : nullptr, dw, d_conv_data, x_->data(), k.mirror(weight_.value));
  if (what.weight_grads)
    for (Param* p : params()) p->touched = true;
  clear_saved();
  return dx;
}

ConvShape ConvBn::shape(const Geometry& in) const { return {kind_, in.n, in.h, in.w, cin_, cout_, kernel_, stride_}; }

void ConvBn::clear_saved() {
  x_.reset();
  conv_out_.reset();
  save_mean_.reset();
  save_invstd_.reset();
}

}  // namespace prunas::nn
