// The supernet plan as it crosses from JS (src/engine/plan.ts, nativePlan):
// shared by the Supernet handle and the latency profiler.
#pragma once
#include <string>

#include "napi/args.h"
#include "nn/supernet.h"

namespace prunas::napi {

// {height, width, channels, classes, stem: [kernel, stride, out, act], head: [out, act] (out 0: none),
//  layers: [out, stride, candidates] per layer, candidates: [zero, kernel, expand, act] per candidate}
nn::Plan parse_plan(Args& a);
// 0 none, 1 relu, 2 relu6, 3 hswish; RangeError naming `where` otherwise.
nn::Act act_of(int32_t code, const std::string& where);

}  // namespace prunas::napi
