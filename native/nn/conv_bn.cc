#include "nn/conv_bn.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "cpu/activation.h"
#include "cpu/batchnorm.h"
#include "cpu/conv2d.h"
#include "cpu/depthwise.h"
#include "cpu/linear.h"

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

void activation_forward(Act act, float* y, const float* x, int64_t n) {
  switch (act) {
    case Act::Relu: return cpu::relu_forward(y, x, n);
    case Act::Relu6: return cpu::relu6_forward(y, x, n);
    case Act::Hswish: return cpu::hswish_forward(y, x, n);
    case Act::None: return;
  }
}

void activation_backward(Act act, float* dx, const float* dy, const float* x, int64_t n) {
  switch (act) {
    case Act::Relu: return cpu::relu_backward(dx, dy, x, n);
    case Act::Relu6: return cpu::relu6_backward(dx, dy, x, n);
    case Act::Hswish: return cpu::hswish_backward(dx, dy, x, n);
    case Act::None: return;
  }
}

}  // namespace

ConvBn::ConvBn(const std::string& name, ConvKind kind, int64_t cin, int64_t cout, int64_t kernel, int64_t stride,
               Act act, Philox& init)
    : name_(name), kind_(kind), cin_(cin), cout_(cout), kernel_(kernel), stride_(stride), act_(act),
      weight_(name + ".weight", weight_size(kind, cin, cout, kernel)), gamma_(name + ".bn.weight", cout, 1.0f),
      beta_(name + ".bn.bias", cout, 0.0f), running_mean_(static_cast<size_t>(cout), 0.0f),
      running_var_(static_cast<size_t>(cout), 1.0f), save_mean_(static_cast<size_t>(cout)),
      save_invstd_(static_cast<size_t>(cout)) {
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
  const Geometry out = output_geometry(in);
  const int64_t pad = kernel_ / 2;
  auto conv_out = make_activation(stats, out.size());
  switch (kind_) {
    case ConvKind::Dense: {
      const cpu::Conv2dShape s{in.n, in.h, in.w, cin_, cout_, kernel_, kernel_, stride_, stride_, pad, pad, 1};
      cpu::conv2d_forward(conv_out->data(), x->data(), weight_.value.data(), nullptr, s);
      break;
    }
    case ConvKind::Depthwise: {
      const cpu::DepthwiseShape s{in.n, in.h, in.w, cin_, kernel_, kernel_, stride_, stride_, pad, pad};
      cpu::depthwise_forward(conv_out->data(), x->data(), weight_.value.data(), nullptr, s);
      break;
    }
    case ConvKind::Pointwise:
      cpu::linear_forward(conv_out->data(), x->data(), weight_.value.data(), nullptr, in.n * in.h * in.w, cin_, cout_);
      break;
  }
  const int64_t rows = out.n * out.h * out.w;
  // Without a backward to come, BN and the activation work in place (the
  // kernels allow y == x): one buffer per unit instead of three. The batch
  // statistics go to scratch so a kept forward's saved ones stay intact.
  std::vector<float> scratch_mean, scratch_invstd;
  float* mean_out = save_mean_.data();
  float* invstd_out = save_invstd_.data();
  if (!mode.keep) {
    scratch_mean.resize(static_cast<size_t>(cout_));
    scratch_invstd.resize(static_cast<size_t>(cout_));
    mean_out = scratch_mean.data();
    invstd_out = scratch_invstd.data();
  }
  auto bn_out = mode.keep ? make_activation(stats, out.size()) : conv_out;
  if (mode.train)
    cpu::batchnorm_forward_train(bn_out->data(), mean_out, invstd_out,
                                 mode.update_running ? running_mean_.data() : nullptr,
                                 mode.update_running ? running_var_.data() : nullptr, conv_out->data(),
                                 gamma_.value.data(), beta_.value.data(), rows, cout_, mode.bn_momentum, kBnEps);
  else
    cpu::batchnorm_forward_eval(bn_out->data(), conv_out->data(), gamma_.value.data(), beta_.value.data(),
                                running_mean_.data(), running_var_.data(), rows, cout_, kBnEps);
  ActivationPtr y = bn_out;
  if (act_ != Act::None) {
    if (mode.keep) y = make_activation(stats, out.size());
    activation_forward(act_, y->data(), bn_out->data(), out.size());
  }
  if (mode.keep) {
    x_ = x;
    conv_out_ = conv_out;
    bn_out_ = act_ != Act::None ? bn_out : nullptr;
    in_ = in;
    out_ = out;
    saved_train_ = mode.train;
  }
  return y;
}

ActivationPtr ConvBn::backward(const ActivationPtr& dy, MemoryStats& stats, const Backward& what, double* output_dot) {
  if (!conv_out_) throw_error(name_ + ": backward without a kept forward");
  if (output_dot && act_ != Act::None) throw_error(name_ + ": output_dot needs a unit without an activation");
  const int64_t rows = out_.n * out_.h * out_.w;
  ActivationPtr d_bn = dy;
  if (act_ != Act::None) {
    d_bn = make_activation(stats, out_.size());
    activation_backward(act_, d_bn->data(), dy->data(), bn_out_->data(), out_.size());
  }
  // γ and β gradients: into the parameters, or into scratch when only the
  // input gradient (and ⟨y, dy⟩) is wanted.
  std::vector<float> scratch;
  float* dgamma = gamma_.grad.data();
  float* dbeta = beta_.grad.data();
  if (!what.weight_grads) {
    scratch.resize(static_cast<size_t>(2 * cout_));
    dgamma = scratch.data();
    dbeta = scratch.data() + cout_;
  }
  ActivationPtr d_conv = (what.need_dx || what.weight_grads) ? make_activation(stats, out_.size()) : nullptr;
  if (saved_train_)
    cpu::batchnorm_backward_train(d_conv ? d_conv->data() : nullptr, dgamma, dbeta, d_bn->data(), conv_out_->data(),
                                  gamma_.value.data(), save_mean_.data(), save_invstd_.data(), rows, cout_);
  else
    cpu::batchnorm_backward_eval(d_conv ? d_conv->data() : nullptr, dgamma, dbeta, d_bn->data(), conv_out_->data(),
                                 gamma_.value.data(), running_mean_.data(), running_var_.data(), rows, cout_, kBnEps);
  if (output_dot) {
    double s = 0.0;
    for (int64_t c = 0; c < cout_; ++c)
      s += static_cast<double>(gamma_.value[c]) * dgamma[c] + static_cast<double>(beta_.value[c]) * dbeta[c];
    *output_dot = s;
  }
  d_bn.reset();
  ActivationPtr dx = what.need_dx ? make_activation(stats, in_.size()) : nullptr;
  float* dw = what.weight_grads ? weight_.grad.data() : nullptr;
  if (d_conv && (dx || dw)) {
    const int64_t pad = kernel_ / 2;
    float* dxp = dx ? dx->data() : nullptr;
    switch (kind_) {
      case ConvKind::Dense: {
        const cpu::Conv2dShape s{in_.n, in_.h, in_.w, cin_, cout_, kernel_, kernel_, stride_, stride_, pad, pad, 1};
        cpu::conv2d_backward(dxp, dw, nullptr, d_conv->data(), x_->data(), weight_.value.data(), s);
        break;
      }
      case ConvKind::Depthwise: {
        const cpu::DepthwiseShape s{in_.n, in_.h, in_.w, cin_, kernel_, kernel_, stride_, stride_, pad, pad};
        cpu::depthwise_backward(dxp, dw, nullptr, d_conv->data(), x_->data(), weight_.value.data(), s);
        break;
      }
      case ConvKind::Pointwise:
        cpu::linear_backward(dxp, dw, nullptr, d_conv->data(), x_->data(), weight_.value.data(),
                             in_.n * in_.h * in_.w, cin_, cout_);
        break;
    }
  }
  if (what.weight_grads)
    for (Param* p : params()) p->touched = true;
  clear_saved();
  return dx;
}

void ConvBn::clear_saved() {
  x_.reset();
  conv_out_.reset();
  bn_out_.reset();
}

}  // namespace prunas::nn
