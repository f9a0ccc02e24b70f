// Runs everywhere: the GPU query answers without throwing, with or without
// CUDA in the addon and with or without a device.
import { describe, expect, it } from 'vitest';
import { PrunasError } from '../../src/errors.js';
import { gpuAvailable, gpuConvAlgorithms, gpuInfo, gpuMemoryStats } from '../../src/gpu/kernels.js';
import * as gpu from '../../src/gpu/kernels.js';
import { native } from '../../src/native.js';

describe('gpuInfo', () => {
  it('matches the build and names a reason when no device can be used', () => {
    const info = gpuInfo();
    // an addon built before the CUDA bindings existed reports compiled: false
    if (typeof native.gpuInfo === 'function') expect(info.compiled).toBe(native.buildInfo().cuda);
    expect(gpuAvailable()).toBe(info.devices.length > 0);
    if (info.devices.length === 0) expect(info.reason).toMatch(/CUDA/);
    else for (const d of info.devices) expect(d.name.length).toBeGreaterThan(0);
  });

  it('lists cuDNN algorithm choices only where the addon has CUDA, none without cuDNN', () => {
    const info = gpuInfo();
    if (!info.compiled) expect(() => gpuConvAlgorithms()).toThrow(PrunasError);
    else if (!info.libraries) expect(gpuConvAlgorithms()).toEqual([]);
    else if (gpuAvailable()) {
      const s = { n: 1, h: 5, w: 5, cin: 2, cout: 3, kernel: 3, stride: 1 };
      gpu.conv2dForward(s, new Float32Array(50), new Float32Array(54));
      expect(gpuConvAlgorithms().map((a) => a.conv)).toContain('fwd cuda:0 n1 5x5 2->3 k3x3 s1x1 p1x1 g1 fp32');
    } else expect(gpuConvAlgorithms()).toEqual([]); // no device, so no convolution ran
  });

  it.skipIf(gpuAvailable())('a kernel call without a device is an error naming the device, not a crash', () => {
    const call = () => gpu.addForward(new Float32Array(4), new Float32Array(4));
    if (gpuInfo().compiled) {
      expect(call).toThrow(RangeError);
      expect(call).toThrow(/cuda:0 is not present/);
      expect(() => gpuMemoryStats(0)).toThrow(/cuda:0 is not present/);
    } else {
      expect(call).toThrow(PrunasError);
    }
  });
});
