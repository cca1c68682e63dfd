import { randomInt } from 'node:crypto';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { HarnessError } from '../errors.ts';
import type { RunResult } from '../model/result.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import type { BaselineChoice } from '../reporters/compare-baseline.ts';
import { loadBaseline } from '../reporters/load-baseline.ts';
import { renderHeader, renderSummary } from '../reporters/terminal.ts';
import { createProgressPrinter } from '../reporters/terminal-progress.ts';
import { writeReports } from '../reporters/write-reports.ts';
import { appendStepSummary } from '../reporters/markdown-summary.ts';
import { runScenarios } from '../runner/run-scenarios.ts';
import { loadTargetConfig } from '../target/load-target-config.ts';
import { SCENARIOS } from '../../scenarios/index.ts';
import { parseOptions, renderHelp } from './options.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
}

/** Exit code of an interrupted run (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

/** Runs the CLI and returns its exit code; never calls process.exit. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const logger = createLogger(io);
  try {
    const options = parseOptions(argv);
    if (options.help) {
      io.stdout.write(renderHelp());
      return 0;
    }
    const scenarios = selectScenarios(options.filter, options.tag);
    if (options.list) {
      io.stdout.write(renderList(scenarios));
      return 0;
    }
    const target = await loadTargetConfig(path.resolve(io.cwd, options.target));
    const baseline = await chooseBaseline(options.baseline, io.cwd);
    const seed = options.seed ?? randomInt(0, 0x7fffffff);
    const progress = createProgressPrinter({ stream: io.stderr, env: io.env });
    const { profile } = options;
    const { result, runDir } = await runScenarios({
      scenarios,
      target,
      reportsDir: path.resolve(io.cwd, options.reportsDir),
      seed,
      profile,
      logger,
      env: io.env,
      signal: io.signal,
      onStart: ({ runDir: dir, backends }) =>
        io.stderr.write(
          renderHeader({ scenarios: scenarios.map((s) => s.name), target, backends, seed, profile, runDir: relative(io.cwd, dir) }),
        ),
      onProgress: progress.onProgress,
      onStopped: (stopped) => writeStoppedReports(stopped, io, logger),
    }).finally(progress.stop);
    const { comparison } = await writeReports(result, runDir, { baseline });
    await appendStepSummary(result, io.env, comparison);
    io.stdout.write(`${renderSummary(result, relative(io.cwd, runDir), comparison)}\n`);
    return result.summary.failed === 0 ? 0 : 1;
  } catch (err) {
    return reportFailure(err, io, logger);
  }
}

/** Loads `--baseline` before the run, so a bad path fails in a second instead of after it. */
async function chooseBaseline(file: string | null, cwd: string): Promise<BaselineChoice | undefined> {
  if (file === null) return undefined;
  const run = await loadBaseline(path.resolve(cwd, file));
  return { run, note: `Baseline: ${file}, given with --baseline.` };
}

/**
 * Writes the reports of a run that stopped early, marked interrupted, and leaves reports/latest
 * on the previous complete run. A failure here is only logged, so the CLI still prints the error
 * that stopped the run.
 */
async function writeStoppedReports(stopped: { result: RunResult; runDir: string }, io: CliIo, logger: Logger): Promise<void> {
  const baseline = { run: null, note: 'No baseline: the run was interrupted.' };
  try {
    await writeReports(stopped.result, stopped.runDir, { baseline, updateLatest: false });
  } catch (err) {
    logger.error({ err, runDir: stopped.runDir }, 'writing the reports of the interrupted run failed');
    return;
  }
  const count = stopped.result.summary.scenarios;
  const where = relative(io.cwd, stopped.runDir);
  io.stderr.write(`Reports of the ${count} finished scenario(s), marked interrupted: ${where} (reports/latest unchanged).\n`);
}

function reportFailure(err: unknown, io: CliIo, logger: Logger): number {
  if (io.signal?.aborted) {
    io.stderr.write('Interrupted: the target, the proxy and Postgres were stopped.\n');
    return INTERRUPTED_EXIT_CODE;
  }
  if (err instanceof HarnessError) {
    io.stderr.write(`error ${err.code}: ${err.message}\n`);
    return err.exitCode;
  }
  logger.fatal({ err }, 'harness failed');
  io.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 3;
}

function selectScenarios(names: string[], tags: string[]): ScenarioDefinition[] {
  const known = SCENARIOS.map((scenario) => scenario.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new HarnessError(
      'WUC_ERR_SCENARIO_UNKNOWN',
      `unknown scenario "${unknown.join('", "')}"; known scenarios: ${known.join(', ')}`,
    );
  }
  const selected = SCENARIOS.filter(
    (scenario) =>
      (names.length === 0 || names.includes(scenario.name)) &&
      (tags.length === 0 || scenario.tags.some((tag) => tags.includes(tag))),
  );
  if (selected.length === 0) {
    const known = new Set(SCENARIOS.flatMap((scenario) => scenario.tags));
    const unknownTags = tags.filter((tag) => !known.has(tag));
    const message =
      unknownTags.length > 0
        ? `no scenario has tag "${unknownTags.join('", "')}"; known tags: ${[...known].sort().join(', ')}`
        : `no scenario named in --filter has tag "${tags.join('", "')}"; drop one of the two options`;
    throw new HarnessError('WUC_ERR_SCENARIO_UNKNOWN', message);
  }
  return selected;
}

function createLogger(io: CliIo): Logger {
  return pino({ level: io.env.LOG_LEVEL ?? 'warn', base: { component: 'harness' } }, pino.destination({ dest: 2, sync: true }));
}

function relative(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') ? file : rel;
}

/** Formats `--list`: one line per scenario with its name, tags in brackets and description. */
export function renderList(scenarios: readonly ScenarioDefinition[]): string {
  const width = Math.max(0, ...scenarios.map((scenario) => scenario.name.length));
  return scenarios
    .map((scenario) => `${scenario.name.padEnd(width)}  [${scenario.tags.join(', ')}]  ${scenario.description}\n`)
    .join('');
}
