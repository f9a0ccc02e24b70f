// Latency tables: profiling on this CPU or a CUDA device, storage, the cost model a search reads, validation.
export { entryKey, latencyCostModel, checkTableMatchesSpace, opsToTime, readTable, writeTable, tableJson, LATENCY_TABLE_FORMAT_VERSION, latencyTableFormatVersion, type LatencyTable, type LatencyEntry, type LatencyDevice, type LatencyGpu, type TimedOp, type EntryKind } from './table.js';
export { profileSpace, profileOptionsSchema, summarize, TIMING_DEFAULTS, type ProfileOptions } from './profile.js';
export { validateTable, timeArchitecture, sampleChoices, validateOptionsSchema, type ValidateOptions, type ValidationReport, type ArchitectureTiming } from './validate.js';
export { describeDevice, deviceOfTable, timingDeviceFor, BUILT_IN_KERNELS } from './device.js';
