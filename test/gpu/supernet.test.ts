// The GPU supernet equals the CPU supernet: the suite in
// test/helpers/device-equivalence.ts on a CUDA device (PRUNAS_GPU_TEST_DEVICE,
// default cuda:0; "cpu" runs it CPU against CPU as a dry run of its logic).
// Skipped with a printed reason without a GPU.
import { deviceEquivalenceSuite } from '../helpers/device-equivalence.js';
import { announceSkip, noGpu } from './gpu-skip.js';

const DEVICE = process.env.PRUNAS_GPU_TEST_DEVICE ?? 'cuda:0';
if (DEVICE.startsWith('cuda:')) announceSkip('test/gpu/supernet.test.ts');
deviceEquivalenceSuite(DEVICE, DEVICE.startsWith('cuda:') && noGpu);
