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
    : kind_(kind), cin_(cin), cout_(cout), kernel_(kernel), stride_(stride), act_(act),
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
  if (in.c != cin_) throw_range("ConvBn: input has " + std::to_string(in.c) + " channels, expected " + std::to_string(cin_));
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
  auto bn_out = make_activation(stats, out.size());
  if (mode.train)
    cpu::batchnorm_forward_train(bn_out->data(), save_mean_.data(), save_invstd_.data(),
                                 mode.update_running ? running_mean_.data() : nullptr,
                                 mode.update_running ? running_var_.data() : nullptr, conv_out->data(),
                                 gamma_.value.data(), beta_.value.data(), rows, cout_, mode.bn_momentum, kBnEps);
  else
    cpu::batchnorm_forward_eval(bn_out->data(), conv_out->data(), gamma_.value.data(), beta_.value.data(),
                                running_mean_.data(), running_var_.data(), rows, cout_, kBnEps);
  ActivationPtr y = bn_out;
  if (act_ != Act::None) {
    y = make_activation(stats, out.size());
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

ActivationPtr ConvBn::backward(const ActivationPtr& dy, MemoryStats& stats) {
  if (!conv_out_) throw_error("ConvBn: backward without a kept forward");
  const int64_t rows = out_.n * out_.h * out_.w;
  ActivationPtr d_bn = dy;
  if (act_ != Act::None) {
    d_bn = make_activation(stats, out_.size());
    activation_backward(act_, d_bn->data(), dy->data(), bn_out_->data(), out_.size());
  }
  auto d_conv = make_activation(stats, out_.size());
  if (saved_train_)
    cpu::batchnorm_backward_train(d_conv->data(), gamma_.grad.data(), beta_.grad.data(), d_bn->data(),
                                  conv_out_->data(), gamma_.value.data(), save_mean_.data(), save_invstd_.data(), rows,
                                  cout_);
  else
    cpu::batchnorm_backward_eval(d_conv->data(), gamma_.grad.data(), beta_.grad.data(), d_bn->data(),
                                 conv_out_->data(), gamma_.value.data(), running_mean_.data(), running_var_.data(),
                                 rows, cout_, kBnEps);
  d_bn.reset();
  auto dx = make_activation(stats, in_.size());
  const int64_t pad = kernel_ / 2;
  switch (kind_) {
    case ConvKind::Dense: {
      const cpu::Conv2dShape s{in_.n, in_.h, in_.w, cin_, cout_, kernel_, kernel_, stride_, stride_, pad, pad, 1};
      cpu::conv2d_backward(dx->data(), weight_.grad.data(), nullptr, d_conv->data(), x_->data(), weight_.value.data(), s);
      break;
    }
    case ConvKind::Depthwise: {
      const cpu::DepthwiseShape s{in_.n, in_.h, in_.w, cin_, kernel_, kernel_, stride_, stride_, pad, pad};
      cpu::depthwise_backward(dx->data(), weight_.grad.data(), nullptr, d_conv->data(), x_->data(),
                              weight_.value.data(), s);
      break;
    }
    case ConvKind::Pointwise:
      cpu::linear_backward(dx->data(), weight_.grad.data(), nullptr, d_conv->data(), x_->data(), weight_.value.data(),
                           in_.n * in_.h * in_.w, cin_, cout_);
      break;
  }
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
