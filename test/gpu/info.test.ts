// Runs everywhere: the GPU query answers without throwing, with or without
// CUDA in the addon and with or without a device.
import { describe, expect, it } from 'vitest';
import { PrunasError } from '../../src/errors.js';
import { gpuAvailable, gpuInfo, gpuMemoryStats } from '../../src/gpu/kernels.js';
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
