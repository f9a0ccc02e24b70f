// One init function per family of bindings (native/napi/<family>.cc).
#pragma once
#include <napi.h>

#include <memory>
#include <string>

namespace prunas {
class Dataset;
}

namespace prunas::napi {

void init_core(Napi::Env env, Napi::Object exports);
void init_activation(Napi::Env env, Napi::Object exports);   // relu, relu6, hswish, add
void init_gemm(Napi::Env env, Napi::Object exports);         // sgemm, pointwise conv, linear, fma peak
void init_conv(Napi::Env env, Napi::Object exports);         // dense, grouped, depthwise conv
void init_norm(Napi::Env env, Napi::Object exports);         // batchnorm
void init_pool(Napi::Env env, Napi::Object exports);  // global average pool
void init_loss(Napi::Env env, Napi::Object exports);         // softmax cross-entropy, MSE
void init_optim(Napi::Env env, Napi::Object exports);        // SGD, Adam
void init_data(Napi::Env env, Napi::Object exports);         // Dataset, permutation
void init_supernet(Napi::Env env, Napi::Object exports);     // Supernet
void init_profile(Napi::Env env, Napi::Object exports);      // latency timing: timeOp, timeNetwork

// The dataset behind a JS Dataset handle (TypeError naming `where` for
// anything else; Error after dispose()). Jobs hold the returned reference.
std::shared_ptr<const Dataset> dataset_of(const Napi::Value& value, const std::string& where);

}  // namespace prunas::napi
