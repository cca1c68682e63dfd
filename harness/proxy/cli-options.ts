/**
 * Options of the standalone server (`npm run toxiproxy -- ...`). One table drives the parser
 * and `--help`; the names follow Toxiproxy's own server flags (`-host`, `-port`, `-config`,
 * `-seed`), written with two dashes.
 */
import { HarnessError } from '../errors.ts';

interface OptionSpec {
  name: string;
  /** Placeholder of the value, or `null` for a flag without value. */
  value: string | null;
  description: string;
  defaultText?: string;
}

export const CLI_OPTIONS = [
  {
    name: 'host',
    value: 'address',
    description: 'Address the HTTP API listens on.',
    defaultText: '127.0.0.1',
  },
  {
    name: 'port',
    value: 'port',
    description: 'Port of the HTTP API; 0 picks a free port.',
    defaultText: '8474',
  },
  {
    name: 'config',
    value: 'file',
    description: 'JSON array of proxies to create at start, as for POST /populate.',
  },
  {
    name: 'seed',
    value: 'int',
    description: 'Seed of the random source for jitter, slicer sizes and toxicity.',
    defaultText: 'Math.random',
  },
  { name: 'help', value: null, description: 'Show this help and exit.' },
] as const satisfies readonly OptionSpec[];

export interface ServerCliOptions {
  host: string;
  port: number;
  config: string | undefined;
  seed: number | undefined;
  help: boolean;
}

/** Parses argv (without node and the script); throws `HarnessError` with a usage code. */
export function parseServerCliOptions(argv: readonly string[]): ServerCliOptions {
  const options: ServerCliOptions = {
    host: '127.0.0.1',
    port: 8474,
    config: undefined,
    seed: undefined,
    help: false,
  };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    const [name, inline] = splitOption(arg);
    const spec = CLI_OPTIONS.find((option) => option.name === name);
    if (spec === undefined) {
      const message = `unknown option "${arg}"; run with --help to list the options`;
      throw new HarnessError('WUC_ERR_USAGE_UNKNOWN_OPTION', message);
    }
    if (spec.value === null) {
      options.help = true;
      continue;
    }
    const value = inline ?? argv[(index += 1)];
    if (value === undefined || value === '') {
      const message = `option --${name} needs a value (${spec.value})`;
      throw new HarnessError('WUC_ERR_USAGE_INVALID_OPTION', message);
    }
    applyValue(options, name, value);
  }
  return options;
}

function splitOption(arg: string): [string, string | undefined] {
  if (!arg.startsWith('--')) return [arg, undefined];
  const equals = arg.indexOf('=');
  return equals < 0 ? [arg.slice(2), undefined] : [arg.slice(2, equals), arg.slice(equals + 1)];
}

function applyValue(options: ServerCliOptions, name: string, value: string): void {
  if (name === 'host') options.host = value;
  if (name === 'config') options.config = value;
  if (name === 'port') options.port = parseInteger('port', value, 0, 65535);
  if (name === 'seed') options.seed = parseInteger('seed', value, 0, 2 ** 32 - 1);
}

function parseInteger(name: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (/^[0-9]+$/.test(value) && parsed >= min && parsed <= max) return parsed;
  const message = `option --${name} must be an integer from ${min} to ${max}, got "${value}"`;
  throw new HarnessError('WUC_ERR_USAGE_INVALID_OPTION', message);
}

export function formatServerHelp(): string {
  const lines = CLI_OPTIONS.map((option) => {
    const value = option.value === null ? '' : ` <${option.value}>`;
    const flag = `--${option.name}${value}`;
    const fallback = 'defaultText' in option ? ` (default: ${option.defaultText})` : '';
    return `  ${flag.padEnd(20)} ${option.description}${fallback}`;
  });
  const usage = 'Usage: npm run toxiproxy -- [--host 127.0.0.1] [--port 8474] [--config file]';
  const logging = 'LOG_LEVEL sets the pino log level (default info).';
  return [usage, '', 'Options:', ...lines, '', logging].join('\n');
}
