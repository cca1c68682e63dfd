import { HarnessError } from '../errors.ts';
import { DEFAULT_PROFILE, RUN_PROFILES, type RunProfile } from '../model/profile.ts';

/** One command-line option; this table drives the parser and `--help`. */
interface OptionSpec {
  name: string;
  value: string | null;
  description: string;
  defaultText?: string;
}

export const OPTIONS = [
  { name: 'filter', value: 'names', description: 'Run only these scenarios (comma-separated; repeatable).', defaultText: 'all' },
  { name: 'tag', value: 'tags', description: 'Run only scenarios with one of these tags (comma-separated).', defaultText: 'all' },
  { name: 'target', value: 'file', description: 'Target config file (.ts, .js or .json).', defaultText: 'targets/reference.ts' },
  { name: 'reports-dir', value: 'dir', description: 'Folder that receives <run-id>/ and the latest link.', defaultText: 'reports' },
  { name: 'baseline', value: 'file', description: 'An earlier run’s results.json to compare with (new findings, p90 latency).', defaultText: 'the run reports/latest pointed to, if same target' },
  { name: 'profile', value: 'name', description: 'quick: short deadlines and counts; full: the real 30 s verification deadline, larger counts.', defaultText: DEFAULT_PROFILE },
  { name: 'seed', value: 'int', description: 'Seed of the built-in proxy’s random source (jitter, toxicity).', defaultText: 'random, printed in the header' },
  { name: 'list', value: null, description: 'List the scenarios and exit.' },
  { name: 'help', value: null, description: 'Show this help and exit.' },
] as const satisfies readonly OptionSpec[];

export interface CliOptions {
  filter: string[];
  tag: string[];
  target: string;
  reportsDir: string;
  /** Path of a results.json to compare with; null picks the previous run. */
  baseline: string | null;
  seed: number | null;
  profile: RunProfile;
  list: boolean;
  help: boolean;
}

/** Parses argv (without node and the script) against the option table. */
export function parseOptions(argv: string[]): CliOptions {
  const options: CliOptions = {
    filter: [],
    tag: [],
    target: 'targets/reference.ts',
    reportsDir: 'reports',
    baseline: null,
    seed: null,
    profile: DEFAULT_PROFILE,
    list: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg === '-h' ? ['help', undefined] : splitFlag(arg);
    const spec = OPTIONS.find((option) => option.name === flag);
    if (spec === undefined && !arg.startsWith('-')) {
      throw new HarnessError(
        'WUC_ERR_USAGE_UNKNOWN_OPTION',
        `unexpected argument "${arg}"; scenario names go in --filter, for example --filter ${arg}`,
      );
    }
    if (spec === undefined) {
      throw new HarnessError('WUC_ERR_USAGE_UNKNOWN_OPTION', `unknown option "${arg}"; run with --help to list the options`);
    }
    if (spec.value === null) {
      if (flag === 'list') options.list = true;
      if (flag === 'help') options.help = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') {
      throw new HarnessError('WUC_ERR_USAGE_INVALID_OPTION', `option --${flag} needs a value (${spec.value})`);
    }
    applyValue(options, flag, value);
  }
  return options;
}

function splitFlag(arg: string): [string, string | undefined] {
  if (!arg.startsWith('--')) return [arg, undefined];
  const equals = arg.indexOf('=');
  if (equals === -1) return [arg.slice(2), undefined];
  return [arg.slice(2, equals), arg.slice(equals + 1)];
}

function applyValue(options: CliOptions, flag: string, value: string) {
  const list = () => value.split(',').map((item) => item.trim()).filter(Boolean);
  switch (flag) {
    case 'filter':
    case 'tag': {
      const items = list();
      // An empty list would select every scenario, so a CI variable that expands to nothing
      // must not turn into a full run that passes.
      if (items.length === 0) {
        throw new HarnessError('WUC_ERR_USAGE_INVALID_OPTION', `--${flag} "${value}" names nothing; give comma-separated ${flag === 'filter' ? 'scenario names' : 'tags'}`);
      }
      (flag === 'filter' ? options.filter : options.tag).push(...items);
      return;
    }
    case 'target':
      options.target = value;
      return;
    case 'reports-dir':
      options.reportsDir = value;
      return;
    case 'baseline':
      options.baseline = value;
      return;
    case 'profile': {
      const profile = RUN_PROFILES.find((name) => name === value);
      if (profile === undefined) {
        throw new HarnessError('WUC_ERR_USAGE_INVALID_OPTION', `--profile "${value}" is invalid; give one of ${RUN_PROFILES.join(', ')}`);
      }
      options.profile = profile;
      return;
    }
    case 'seed': {
      const seed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        throw new HarnessError('WUC_ERR_USAGE_INVALID_OPTION', `--seed "${value}" is invalid; give an integer from 0 to 4294967295`);
      }
      options.seed = seed;
    }
  }
}

/** Renders `--help` from the option table. */
export function renderHelp(): string {
  const rows = OPTIONS.map((option) => {
    const flag = option.value === null ? `--${option.name}` : `--${option.name} <${option.value}>`;
    const fallback = 'defaultText' in option ? ` (default: ${option.defaultText})` : '';
    return `  ${flag.padEnd(22)} ${option.description}${fallback}`;
  });
  return [
    'Usage: npm run scenarios -- [options]',
    '',
    'Runs chaos scenarios against a WebSocket server that authenticates its upgrades,',
    'on a real Postgres behind a fault proxy, and writes reports/<run-id>/.',
    '',
    'Options:',
    ...rows,
    '',
    'Environment: DATABASE_URL, TOXIPROXY_URL, WUC_POSTGRES, WUC_TOXIPROXY, LOG_LEVEL.',
    '',
    'Exit codes: 0 every check passed, 1 findings, 2 usage or configuration error,',
    '3 environment failure or a target that cannot start, 130 interrupted.',
    '',
  ].join('\n');
}
