import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../errors.ts';
import type { TargetConfig } from '../model/target-config.ts';
import { resolveTargetConfig } from './resolve-target-config.ts';

/** Config file extensions loaded with a dynamic import; `.ts` and `.mts` need the tsx loader. */
const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];
const SUPPORTED = [...MODULE_EXTENSIONS, '.json'].join(', ');

/**
 * Loads a target config file (the default export of a `.ts`, `.mts`, `.js` or `.mjs` module, or
 * a `.json` file), validates it and fills its defaults. Throws WUC_ERR_TARGET_CONFIG_INVALID
 * when the file is missing, cannot be loaded or holds an invalid config.
 */
export async function loadTargetConfig(configPath: string): Promise<TargetConfig> {
  const absolute = path.resolve(configPath);
  const extension = path.extname(absolute).toLowerCase();
  if (!MODULE_EXTENSIONS.includes(extension) && extension !== '.json') {
    throw invalid(`Target config ${absolute} has an unsupported extension "${extension}"; use one of ${SUPPORTED}.`);
  }
  await assertFile(absolute);

  const input = extension === '.json' ? await readJson(absolute) : await importDefault(absolute);
  return resolveTargetConfig(input, absolute);
}

async function assertFile(absolute: string): Promise<void> {
  try {
    const stats = await stat(absolute);
    if (stats.isFile()) return;
  } catch (err) {
    throw invalid(`Target config not found: ${absolute}. Check the --target path.`, err);
  }
  throw invalid(`Target config ${absolute} is not a file. Pass the path of a ${SUPPORTED} file.`);
}

async function readJson(absolute: string): Promise<unknown> {
  const text = await readFile(absolute, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw invalid(`Target config ${absolute} is not valid JSON: ${reason}. Fix the syntax.`, err);
  }
}

async function importDefault(absolute: string): Promise<unknown> {
  // Importing runs the file, so a server passed by mistake would start inside the harness.
  const source = await readFile(absolute, 'utf8');
  if (!/\bexport\s+default\b|\bas\s+default\b/.test(source)) {
    throw invalid(
      `Target config ${absolute} has no \`export default\`, so it is not loaded: it may be the server itself. ` +
        'Pass a config file that does `export default defineTarget({ command: [...] })`, or a .json config.',
    );
  }
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(absolute).href);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw invalid(`Target config ${absolute} could not be loaded: ${reason}. Fix the error in that file.`, err);
  }
  if (module.default === undefined) {
    throw invalid(`Target config ${absolute} has no default export; write \`export default defineTarget({ ... })\`.`);
  }
  return module.default;
}

function invalid(message: string, cause?: unknown): HarnessError {
  return new HarnessError('WUC_ERR_TARGET_CONFIG_INVALID', message, cause === undefined ? undefined : { cause });
}
