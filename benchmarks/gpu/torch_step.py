"""PyTorch reference of one proxyless-mobile supernet step, the GPU peer of
prunas's own step (benchmarks/gpu). It mirrors src/space/builtin.ts:
proxylessMobile() exactly:

  224x224x3 -> stem 3x3 s2 -> 32, BN, ReLU6 -> fixed MBConv(k3, e1) -> 16 ->
  stages (width, blocks, first stride) (24,4,2) (40,4,2) (80,4,2) (96,4,1)
  (192,4,2) (320,1,1); every block searchable over MBConv k in {3,5,7} x
  e in {3,6} (k-major), plus `zero` last where a residual exists (stride 1
  and cin == cout); head 1x1 -> 1280, BN, ReLU6; global average pool;
  linear -> 1000. MBConv: 1x1 expand (skipped for e = 1) -> BN -> ReLU6 ->
  kxk depthwise stride s -> BN -> ReLU6 -> 1x1 project -> BN; the residual
  belongs to the layer: y = x + sum_k z_k o_k(x).

Steps timed (ProxylessNAS):
  weight: one path sampled uniformly per layer, forward, cross-entropy,
          backward, SGD (momentum 0.9, Nesterov, wd 4e-5) on the active path.
  arch:   pair mode: two distinct paths per layer (uniform), the active one
          runs; the gate gradients g_k = <o_k(x), dL/dy> of both come from
          autograd on a binary gate (the other path runs too, as the
          reference implementation does), then an Adam step on alpha.
Rows: batch 128 and 256 (TORCH_STEP_BATCHES, comma-separated), fp32 (TF32
off) and bf16 autocast; cudnn.benchmark, channels_last. Prints one JSON
object: images/s and median ms per step, and peak memory (the allocator's
max_memory_allocated) for the whole row and for each step kind (reset
before that kind's warmup: resident weights, optimizer state and the batch
included). Time-boxed by TORCH_STEP_SECONDS; TORCH_STEP_WARMUP and
TORCH_STEP_ITERS set the warmup and timed steps.
"""
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

STAGES = [(24, 4, 2), (40, 4, 2), (80, 4, 2), (96, 4, 1), (192, 4, 2), (320, 1, 1)]
CANDIDATES = [(k, e) for k in (3, 5, 7) for e in (3, 6)]


def conv_bn(cin, cout, k, stride, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if act:
        layers.append(nn.ReLU6(inplace=True))
    return nn.Sequential(*layers)


class MBConv(nn.Module):
    def __init__(self, cin, cout, k, e, stride):
        super().__init__()
        hidden = cin * e
        self.expand = conv_bn(cin, hidden, 1, 1) if e != 1 else None
        self.depthwise = conv_bn(hidden, hidden, k, stride, groups=hidden)
        self.project = conv_bn(hidden, cout, 1, 1, act=False)

    def forward(self, x):
        if self.expand is not None:
            x = self.expand(x)
        return self.project(self.depthwise(x))


class MixedLayer(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.residual = stride == 1 and cin == cout
        self.ops = nn.ModuleList([MBConv(cin, cout, k, e, stride) for k, e in CANDIDATES])
        self.count = len(self.ops) + (1 if self.residual else 0)  # `zero` last

    def forward(self, x, active, other=None, gates=None):
        """active: the running path; pair mode also runs `other` and scales
        both by the binary gates (1 for active, 0 for other) so that autograd
        gives dL/dgate = <o_k, dL/dy>."""
        def run(k):
            return None if k >= len(self.ops) else self.ops[k](x)

        if other is None:
            y = run(active)
            out = y if y is not None else torch.zeros_like(x)
        else:
            out = 0
            for k, g in ((active, gates[0]), (other, gates[1])):
                y = run(k)
                if y is not None:
                    out = out + g * y
            if isinstance(out, int):
                out = torch.zeros_like(x)
        return x + out if self.residual else out


class Supernet(nn.Module):
    def __init__(self, classes=1000):
        super().__init__()
        self.stem = conv_bn(3, 32, 3, 2)
        self.first = MBConv(32, 16, 3, 1, 1)
        layers, cin = [], 16
        for width, blocks, stride in STAGES:
            for b in range(blocks):
                layers.append(MixedLayer(cin, width, stride if b == 0 else 1))
                cin = width
        self.layers = nn.ModuleList(layers)
        self.head = conv_bn(cin, 1280, 1, 1)
        self.classifier = nn.Linear(1280, classes)

    def forward(self, x, active, other=None, gates=None):
        x = self.first(self.stem(x))
        for i, layer in enumerate(self.layers):
            x = layer(x, active[i], None if other is None else other[i], None if gates is None else gates[i])
        x = self.head(x)
        return self.classifier(F.adaptive_avg_pool2d(x, 1).flatten(1))


def time_steps(step, warmup, iters, deadline):
    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    times = []
    for _ in range(iters):
        if time.time() > deadline:
            break
        start.record()
        step()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    times.sort()
    return times[len(times) // 2] if times else float("nan"), len(times)


def run(batch, dtype, warmup, iters, deadline, gen):
    torch.cuda.reset_peak_memory_stats()
    net = Supernet().cuda().to(memory_format=torch.channels_last)
    alpha = torch.zeros(sum(l.count for l in net.layers), device="cuda", requires_grad=True)
    weight_opt = torch.optim.SGD(net.parameters(), lr=0.025, momentum=0.9, nesterov=True, weight_decay=4e-5)
    arch_opt = torch.optim.Adam([alpha], lr=6e-3, betas=(0, 0.999), eps=1e-8)
    x = torch.randn(batch, 3, 224, 224, device="cuda", generator=gen).to(memory_format=torch.channels_last)
    y = torch.randint(0, 1000, (batch,), device="cuda", generator=gen)
    counts = [l.count for l in net.layers]
    autocast = torch.autocast("cuda", dtype=torch.bfloat16, enabled=dtype == "bf16")

    def weight_step():
        active = [int(torch.randint(0, c, (1,), generator=cpu_gen)) for c in counts]
        with autocast:
            loss = F.cross_entropy(net(x, active), y, label_smoothing=0.1)
        weight_opt.zero_grad(set_to_none=True)
        loss.backward()
        weight_opt.step()

    def arch_step():
        pairs = [torch.randperm(c, generator=cpu_gen)[:2].tolist() for c in counts]
        gates = [torch.tensor([1.0, 0.0], device="cuda", requires_grad=True) for _ in counts]
        with autocast:
            loss = F.cross_entropy(net(x, [p[0] for p in pairs], [p[1] for p in pairs], gates), y)
        grads = torch.autograd.grad(loss, gates)
        # ProxylessNAS's two-path update of alpha from the gate gradients
        with torch.no_grad():
            g_alpha = torch.zeros_like(alpha)
            at = 0
            for layer_pairs, g, c in zip(pairs, grads, counts):
                a = alpha[at:at + c][layer_pairs]
                p = torch.softmax(a.float(), 0)
                for i in range(2):
                    for j in range(2):
                        g_alpha[at + layer_pairs[i]] += g[j] * p[j] * ((1.0 if i == j else 0.0) - p[i])
                at += c
        alpha.grad = g_alpha
        arch_opt.step()

    cpu_gen = torch.Generator().manual_seed(1)
    row = {"batch": batch, "dtype": dtype}
    row_peak = 0
    for name, step in (("weight", weight_step), ("arch", arch_step)):
        row_peak = max(row_peak, torch.cuda.max_memory_allocated())
        torch.cuda.reset_peak_memory_stats()
        ms, n = time_steps(step, warmup, iters, deadline)
        row[f"{name}_max_memory_allocated_mib"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
        row_peak = max(row_peak, torch.cuda.max_memory_allocated())
        row[f"{name}_ms"] = round(ms, 3)
        row[f"{name}_images_per_s"] = round(batch / ms * 1000, 1) if n else None
        row[f"{name}_timed_steps"] = n
    row["max_memory_allocated_mib"] = round(row_peak / 2**20, 1)
    del net, weight_opt, arch_opt, x, y
    torch.cuda.empty_cache()
    return row


def main():
    budget = float(os.environ.get("TORCH_STEP_SECONDS", "110"))
    deadline = time.time() + budget
    warmup = int(os.environ.get("TORCH_STEP_WARMUP", "3"))
    iters = int(os.environ.get("TORCH_STEP_ITERS", "10"))
    batches = [int(b) for b in os.environ.get("TORCH_STEP_BATCHES", "128,256").split(",") if b.strip()]
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    gen = torch.Generator(device="cuda").manual_seed(0)
    result = {
        "device": torch.cuda.get_device_name(0),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version(),
        "space": "proxyless-mobile",
        "notes": "fp32 rows: TF32 off; bf16 rows: torch.autocast(bfloat16), fp32 master weights",
        "rows": [],
    }
    for dtype in ("fp32", "bf16"):
        for batch in batches:
            if time.time() > deadline:
                result["rows"].append({"batch": batch, "dtype": dtype, "skipped": "time budget spent"})
                continue
            try:
                result["rows"].append(run(batch, dtype, warmup, iters, deadline, gen))
            except Exception as e:  # one failing row must not hide the others
                result["rows"].append({"batch": batch, "dtype": dtype, "error": f"{type(e).__name__}: {e}"})
            print(json.dumps(result["rows"][-1]), file=sys.stderr, flush=True)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
