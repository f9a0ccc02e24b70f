// Typed errors: callers branch on `code`. TypeError/RangeError subclasses keep
// the JS convention (wrong kind of value vs value out of range).

export type PrunasErrorCode = 'ERR_PRUNAS_INVALID_TYPE' | 'ERR_PRUNAS_OUT_OF_RANGE' | 'ERR_PRUNAS_NATIVE';

export class PrunasTypeError extends TypeError {
  readonly code: PrunasErrorCode = 'ERR_PRUNAS_INVALID_TYPE';
  override name = 'PrunasTypeError';
}

export class PrunasRangeError extends RangeError {
  readonly code: PrunasErrorCode = 'ERR_PRUNAS_OUT_OF_RANGE';
  override name = 'PrunasRangeError';
}

export class PrunasError extends Error {
  readonly code: PrunasErrorCode = 'ERR_PRUNAS_NATIVE';
  override name = 'PrunasError';
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (Array.isArray(value)) return 'an Array';
  if (typeof value === 'function') return 'a function';
  return 'an object';
}
