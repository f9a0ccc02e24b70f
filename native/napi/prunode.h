// Prunodes across the boundary (nn/prunode.h): their rows of the plan, the
// gates of a step, the gate gradients out, and their widths.
#pragma once
#include <napi.h>

#include "napi/args.h"
#include "nn/supernet.h"

namespace prunas::napi {

// Optional `prunodes`: Int32Array of [step, minWidth] per candidate (step 0: not a Prunode).
void parse_prunode_plan(Args& a, nn::Plan& plan);
// Optional `prunodeGates`: Float32Array of (z_big, z_small) per candidate.
void parse_prunode_gates(Args& a, const nn::Supernet& net, nn::Paths& paths);
// `prunodeGrads` (Float64Array, 2 per candidate) when the step has them.
void set_prunode_grads(Napi::Env env, Napi::Object out, const nn::StepResult& r);
// Int32Array of [width, step, minWidth, maxWidth] per candidate (zeros: not a live Prunode).
Napi::Value prunode_widths(Napi::Env env, const nn::Supernet& net);

}  // namespace prunas::napi
