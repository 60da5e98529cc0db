import { InvalidOptionError } from './errors';

/**
 * Checks that `value` is an integer in [min, max], else throws one message shape:
 * `Expected integer between 1 and 8192 for crop.width but received 0`.
 *
 * @throws {InvalidOptionError}
 */
export function expectInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(
      `Expected integer between ${min} and ${max} for ${name} but received ${describe(value)}`,
    );
  }
  return value;
}

/**
 * Checks that `value` is a finite number in [min, max].
 *
 * @throws {InvalidOptionError}
 */
export function expectNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidOptionError(
      `Expected number between ${min} and ${max} for ${name} but received ${describe(value)}`,
    );
  }
  return value;
}

/**
 * Checks that `value` is one of `allowed`.
 *
 * @throws {InvalidOptionError}
 */
export function expectOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidOptionError(
      `Expected one of ${allowed.map((a) => `'${a}'`).join(', ')} for ${name} but received ${describe(value)}`,
    );
  }
  return value as T;
}

/**
 * Checks that `value`, when given, is true or false; returns `fallback` when it is undefined.
 *
 * @throws {InvalidOptionError}
 */
export function expectOptionalBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidOptionError(`Expected true or false for ${name} but received ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  // JSON.stringify writes NaN and Infinity as null.
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
