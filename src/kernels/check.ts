// Argument checks shared by every kernel wrapper: each names the kernel, the
// argument and the bad value, before anything reaches native code.
import { describeValue, PrunasRangeError, PrunasTypeError } from '../errors.js';

export function float32(where: string, name: string, value: unknown, length?: number): Float32Array {
  if (!(value instanceof Float32Array))
    throw new PrunasTypeError(`${where}: ${name} must be a Float32Array, got ${describeValue(value)}`);
  if (length !== undefined && value.length !== length)
    throw new PrunasRangeError(`${where}: ${name} must have ${length} elements, got ${value.length}`);
  return value;
}

export function int32(where: string, name: string, value: unknown, length?: number): Int32Array {
  if (!(value instanceof Int32Array))
    throw new PrunasTypeError(`${where}: ${name} must be an Int32Array, got ${describeValue(value)}`);
  if (length !== undefined && value.length !== length)
    throw new PrunasRangeError(`${where}: ${name} must have ${length} elements, got ${value.length}`);
  return value;
}

export function integer(where: string, name: string, value: unknown, min: number, max = 2 ** 31 - 1): number {
  if (typeof value !== 'number')
    throw new PrunasTypeError(`${where}: ${name} must be an integer, got ${describeValue(value)}`);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new PrunasRangeError(`${where}: ${name} must be an integer in [${min}, ${max}], got ${describeValue(value)}`);
  return value;
}

export function finite(where: string, name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number')
    throw new PrunasTypeError(`${where}: ${name} must be a number, got ${describeValue(value)}`);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new PrunasRangeError(`${where}: ${name} must be a finite number in [${min}, ${max}], got ${describeValue(value)}`);
  return value;
}

export function boolean(where: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new PrunasTypeError(`${where}: ${name} must be a boolean, got ${describeValue(value)}`);
  return value;
}

export function oneOf<T extends string>(where: string, name: string, value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string' || !options.includes(value as T))
    throw new PrunasRangeError(`${where}: ${name} must be one of ${options.join(', ')}, got ${describeValue(value)}`);
  return value as T;
}

/** The options object itself. */
export function options(where: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new PrunasTypeError(`${where}: expected an options object, got ${describeValue(value)}`);
  return value as Record<string, unknown>;
}
