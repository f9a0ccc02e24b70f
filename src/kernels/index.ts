// Typed access to every CPU kernel, forward and backward, on Float32Arrays.
export * from './activation.js';
export * from './batchnorm.js';
export * from './conv.js';
export * from './gemm.js';
export * from './loss.js';
export * from './optim.js';
export * from './pool.js';
