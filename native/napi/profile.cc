// Latency timing (native/profile): `timeOp(args)` and `timeNetwork(args)`
// return the milliseconds of each timed repeat as a Float64Array; the
// `...Async` forms run the whole timing loop on a libuv worker and resolve a
// Promise, so the event loop stays free while a table is built.
#include <functional>
#include <string>
#include <vector>

#include "napi/families.h"
#include "napi/kernel_binding.h"
#include "napi/plan.h"
#include "profile/timing.h"

namespace prunas::napi {

namespace {

using TimingJob = std::function<std::vector<double>()>;

// The timing's errors name the call, running out of memory included.
TimingJob named_timing(const std::string& where, TimingJob job) {
  return [where, job] {
    try {
      return named(where, job);
    } catch (const std::bad_alloc&) {
      throw Error(ErrorKind::Range, where + ": out of memory");
    }
  };
}

profile::TimingOptions parse_timing(Args& a) {
  profile::TimingOptions t;
  t.warmup = a.integer("warmup", 0, 1 << 20, 10);
  t.repeats = a.integer("repeats", 1, 1 << 20, 50);
  t.seed = static_cast<uint64_t>(a.integer("seed", 0, (int64_t{1} << 53) - 1, 0));
  t.device = a.string("device", "cpu");
  t.precision = a.string("precision", "fp32");
  if (t.device != "cpu" && t.device.rfind("cuda:", 0) != 0)
    throw_range(a.where("device") + " must be \"cpu\" or \"cuda:N\", got \"" + t.device + "\"");
  t.graph = a.boolean("graph", false);
  if (t.graph && t.device == "cpu") throw_range(a.where("graph") + ": CUDA graphs need a CUDA device, got \"cpu\"");
  return t;
}

// {op: 0 conv | 1 pointwise | 2 mbconv | 3 classifier, batch, height, width,
//  cin, cout, kernel, expand, stride, act, residual, warmup, repeats, seed,
//  device, precision, graph}
TimingJob parse_time_op(Args& a) {
  profile::OpShape op;
  op.kind = static_cast<profile::OpKind>(a.integer("op", 0, 3));
  op.batch = a.integer("batch", 1, 1 << 16);
  op.height = a.integer("height", 1, 1 << 14);
  op.width = a.integer("width", 1, 1 << 14);
  op.cin = a.integer("cin", 1, 1 << 16);
  op.cout = a.integer("cout", 1, 1 << 20);
  op.kernel = a.integer("kernel", 1, 7, 1);
  if (op.kernel % 2 == 0) throw_range(a.where("kernel") + " must be odd, got " + std::to_string(op.kernel));
  op.expand = a.integer("expand", 1, 64, 1);
  op.stride = a.integer("stride", 1, 2, 1);
  op.act = act_of(static_cast<int32_t>(a.integer("act", 0, 3, 2)), a.where("act"));
  op.residual = a.boolean("residual", false);
  if (op.residual && (op.kind != profile::OpKind::MBConv || op.stride != 1 || op.cin != op.cout))
    throw_range(a.where("residual") + ": only an MBConv with stride 1 and cin = cout has one");
  const int64_t elements = op.batch * op.height * op.width * op.cin * op.expand;
  if (elements > (int64_t{1} << 32)) throw_range(a.kernel() + ": the op's activations are too large to time");
  const profile::TimingOptions t = parse_timing(a);
  return named_timing(a.kernel(), [op, t] { return profile::time_op(op, t); });
}

// {plan fields (one candidate per layer), batch, warmup, repeats, seed, device, precision, graph}
TimingJob parse_time_network(Args& a) {
  const nn::Plan plan = parse_plan(a);
  const int64_t batch = a.integer("batch", 1, 1 << 16);
  if (batch * plan.height * plan.width * plan.channels > (int64_t{1} << 32))
    throw_range(a.kernel() + ": the input batch is too large to time");
  const profile::TimingOptions t = parse_timing(a);
  return named_timing(a.kernel(), [plan, batch, t] { return profile::time_network(plan, batch, t); });
}

Napi::Value times_array(Napi::Env env, const std::vector<double>& ms) {
  auto out = Napi::Float64Array::New(env, ms.size());
  std::copy(ms.begin(), ms.end(), out.Data());
  return out;
}

}  // namespace

void init_profile(Napi::Env env, Napi::Object exports) {
  export_job(env, exports, "timeOp", parse_time_op, times_array);
  export_job(env, exports, "timeNetwork", parse_time_network, times_array);
}

}  // namespace prunas::napi
