import { HarnessError } from '../errors.ts';

/** Longest rendering of a bad value in an error message, in characters. */
const MAX_VALUE_CHARS = 80;

/** Thrown by `fail()` to leave the check of one field; `run()` and `field()` catch it. */
class FieldProblem extends Error {}

/**
 * Field checks for one target config. Problems are collected across fields, and `run()` throws
 * one WUC_ERR_TARGET_CONFIG_INVALID listing each: the field, the value and what is expected, so
 * the user can fix them all in one go.
 */
export class ConfigChecker {
  readonly #source: string;
  readonly #problems: string[] = [];

  /** @param source the config file path, or a label for a config given as an object */
  constructor(source: string) {
    this.#source = source;
  }

  /**
   * Runs `resolve` and throws WUC_ERR_TARGET_CONFIG_INVALID listing every problem found, or
   * returns its result when there was none.
   */
  run<T>(resolve: () => T): T {
    let result: T | undefined;
    try {
      result = resolve();
    } catch (error) {
      if (!(error instanceof FieldProblem)) throw error;
    }
    if (this.#problems.length === 1) {
      throw new HarnessError('WUC_ERR_TARGET_CONFIG_INVALID', `Invalid target config ${this.#source}: ${this.#problems[0]}`);
    }
    if (this.#problems.length > 1) {
      const lines = this.#problems.map((problem) => `  - ${problem}`);
      const summary = `Invalid target config ${this.#source}: ${this.#problems.length} problems:`;
      throw new HarnessError('WUC_ERR_TARGET_CONFIG_INVALID', [summary, ...lines].join('\n'));
    }
    return result as T;
  }

  /**
   * Checks one field with `validate`, so a problem in it leaves the other fields to be checked.
   * After a problem it returns undefined in place of the value; `run()` throws before a caller
   * could see that value.
   */
  field<T>(validate: () => T): T {
    try {
      return validate();
    } catch (error) {
      if (error instanceof FieldProblem) return undefined as T;
      throw error;
    }
  }

  /**
   * Records that `field` holds `value` where `expected` was needed, and leaves the field's check.
   * `shown` replaces the rendered value, for values that must not appear in a message such as
   * secrets. The field '' is the whole config.
   */
  fail(field: string, value: unknown, expected: string, shown?: string): never {
    const label = field === '' ? 'the config' : field;
    const found = shown ?? (value === undefined ? 'missing' : renderValue(value));
    this.#problems.push(`${label} is ${found}; expected ${expected}.`);
    throw new FieldProblem(label);
  }

  /**
   * Checks a plain object with only `knownKeys`; undefined passes when `optional`. Each unknown
   * key is recorded as a problem, and the known ones are still returned for checking.
   */
  object(field: string, value: unknown, knownKeys: readonly string[], optional = true): Record<string, unknown> | undefined {
    if (value === undefined && optional) return undefined;
    if (!isPlainObject(value)) this.fail(field, value, `an object with the fields ${knownKeys.join(', ')}`);
    for (const key of Object.keys(value)) {
      if (knownKeys.includes(key)) continue;
      const name = field === '' ? key : `${field}.${key}`;
      const closest = findClosest(key, knownKeys);
      const hint = closest === null ? '' : `did you mean "${closest}"? `;
      this.#problems.push(`unknown field "${name}"; ${hint}known fields: ${knownKeys.join(', ')}.`);
    }
    return value;
  }

  /** Checks a non-empty string, optionally against `pattern` described by `expected`. */
  string(field: string, value: unknown, pattern?: RegExp, expected = 'a non-empty string'): string {
    if (typeof value !== 'string' || value === '' || (pattern !== undefined && !pattern.test(value))) {
      this.fail(field, value, expected);
    }
    return value;
  }

  /** Checks an integer from `min` to `max` inclusive; `unit` is named in the message. */
  integer(field: string, value: unknown, min: number, max: number, unit = ''): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(field, value, `an integer from ${min} to ${max}${unit === '' ? '' : ` (${unit})`}`);
    }
    return value;
  }

  /** Checks that `value` is one of `options`. */
  oneOf<T extends string>(field: string, value: unknown, options: readonly T[]): T {
    if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
      this.fail(field, value, `one of ${options.map((option) => `"${option}"`).join(', ')}`);
    }
    return value as T;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function renderValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Circular values and BigInts cannot be serialised; their type is enough to locate them.
    text = `a ${typeof value}`;
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}...` : text;
}

/** Returns the known key within two edits of `key`, for a "did you mean" hint. */
function findClosest(key: string, knownKeys: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const known of knownKeys) {
    const distance = editDistance(key.toLowerCase(), known.toLowerCase());
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
