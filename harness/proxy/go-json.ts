/**
 * Decoding and encoding that match Go's `encoding/json`, which real Toxiproxy uses: field names
 * match case-insensitively, `null` leaves a field unchanged, a value of the wrong kind fails with
 * Go's "cannot unmarshal" text, and encoded strings escape `<`, `>` and `&`.
 */
import { apiErrors } from './errors.ts';
import { GoJsonSyntaxError, sliceFirstJsonValue } from './go-json-scanner.ts';

/** A JSON value of the wrong kind for its Go field, worded like Go's `UnmarshalTypeError`. */
export class GoUnmarshalTypeError extends Error {
  readonly code = 'WUC_ERR_PROXY_JSON_TYPE';

  constructor(value: unknown, target: string, goType: string) {
    super(`json: cannot unmarshal ${describeKind(value)} into ${target} of type ${goType}`);
    this.name = 'GoUnmarshalTypeError';
  }
}

export type JsonObject = Record<string, unknown>;

const FLOAT32_MAX = 3.4028234663852886e38;

/** Parses the first JSON value of a request body; syntax errors become `bad request body`. */
export function parseRequestJson(body: string): unknown {
  try {
    return JSON.parse(sliceFirstJsonValue(body));
  } catch (error) {
    if (error instanceof GoJsonSyntaxError) throw apiErrors.badRequestBody(error.message);
    throw error;
  }
}

/** Runs a decoding step and turns Go type errors into `bad request body` API errors. */
export function decodeOrReject<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof GoUnmarshalTypeError) throw apiErrors.badRequestBody(error.message);
    throw error;
  }
}

function describeKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'number' : `number ${value}`;
  return typeof value;
}

/** Returns the fields of an object, `undefined` for `null`; throws for any other kind. */
export function readObject(value: unknown, goType: string): JsonObject | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  throw new GoUnmarshalTypeError(value, 'Go value', goType);
}

/** Looks a field up the way Go does: case-insensitive, and the last matching key wins. */
export function lookupField(object: JsonObject, name: string): unknown {
  let found: unknown;
  for (const [key, value] of Object.entries(object)) {
    if (key.toLowerCase() === name) found = value;
  }
  return found;
}

/** A field reader bound to the Go struct name that error messages show. */
export class GoStructReader {
  readonly #object: JsonObject;
  readonly #fieldPrefix: string;

  /**
   * `structName` is the Go struct being filled and `path` the fields above it, so errors read
   * `Go struct field LatencyToxic.attributes.latency`, as Go's decoder words them.
   */
  constructor(object: JsonObject, structName: string, path = '') {
    this.#object = object;
    this.#fieldPrefix = `${structName}.${path === '' ? '' : `${path}.`}`;
  }

  string(name: string): string | undefined {
    return this.#read(name, 'string', (value) => typeof value === 'string') as string | undefined;
  }

  bool(name: string): boolean | undefined {
    return this.#read(name, 'bool', (value) => typeof value === 'boolean') as boolean | undefined;
  }

  /** Reads an integer field; Go rejects fractions and values outside the type's range. */
  integer(name: string, goType: 'int' | 'int64'): number | undefined {
    return this.#read(name, goType, Number.isSafeInteger) as number | undefined;
  }

  float32(name: string): number | undefined {
    const fits = (value: unknown) =>
      typeof value === 'number' && Math.abs(value) <= FLOAT32_MAX;
    return this.#read(name, 'float32', fits) as number | undefined;
  }

  raw(name: string): unknown {
    return lookupField(this.#object, name);
  }

  #read(name: string, goType: string, accepts: (value: unknown) => boolean): unknown {
    const value = lookupField(this.#object, name);
    if (value === null || value === undefined) return undefined;
    if (accepts(value)) return value;
    throw new GoUnmarshalTypeError(value, `Go struct field ${this.#fieldPrefix}${name}`, goType);
  }
}

/** Encodes like Go's `json.Marshal`: compact, with `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function marshalGoJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Rounds to float32 and returns the shortest decimal that Go prints for that float32. */
export function toGoFloat32(value: number): number {
  const rounded = Math.fround(value);
  for (let digits = 1; digits <= 9; digits += 1) {
    const candidate = Number(rounded.toPrecision(digits));
    if (Math.fround(candidate) === rounded) return candidate;
  }
  return rounded;
}
