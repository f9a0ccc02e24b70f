// The supernet in bf16 on a CUDA device against float32 on the CPU: the
// suite in test/helpers/supernet-bf16.ts on PRUNAS_GPU_TEST_DEVICE (default
// cuda:0). Skipped with a printed reason without a GPU.
import { supernetBf16Suite } from '../helpers/supernet-bf16.js';
import { announceSkip, noGpu } from './gpu-skip.js';

const DEVICE = process.env.PRUNAS_GPU_TEST_DEVICE ?? 'cuda:0';
if (DEVICE.startsWith('cuda:')) announceSkip('test/gpu/supernet-bf16.test.ts');
supernetBf16Suite(DEVICE, DEVICE.startsWith('cuda:') && noGpu);
