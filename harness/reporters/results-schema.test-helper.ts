import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export const SCHEMA_FILE = fileURLToPath(new URL('../../docs/results.schema.json', import.meta.url));

/** Reads and parses docs/results.schema.json. */
export function readResultsSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}

/** Compiles docs/results.schema.json with ajv's draft 2020-12 class, strict, with formats. */
export function compileResultsSchema(): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  // ajv-formats is CommonJS and sets both module.exports and exports.default to the plugin;
  // TypeScript types an ES default import of it as the module object, so call `.default`.
  addFormatsModule.default(ajv);
  return ajv.compile(readResultsSchema());
}

/** Joins ajv's errors into one line each, so a failed expectation names the path and rule. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}
