// Typed access to every CPU kernel, forward and backward, on Float32Arrays.
export * from './activation.js';
