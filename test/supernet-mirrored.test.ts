// The engine's synchronisation with a device, without a GPU: the device
// equivalence suite (test/helpers/device-equivalence.ts) on "cpu-mirrored",
// the CPU kernels behind a device's protocol — storage apart from the host's
// arrays and NaN until written, parameter copies that only a sync brings
// back, one job at a time. A missed sync or an unwritten buffer shows here
// as a difference from the plain CPU engine.
import { deviceEquivalenceSuite } from './helpers/device-equivalence.js';

deviceEquivalenceSuite('cpu-mirrored', false);
