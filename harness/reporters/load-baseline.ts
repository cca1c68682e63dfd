import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { HarnessError } from '../errors.ts';
import type { RunResult } from '../model/result.ts';
import type { BaselineChoice, BaselineRun } from './compare-baseline.ts';

/**
 * Reads a results.json given with `--baseline`. Any problem is a usage error, raised before the
 * run starts so that a typo does not cost a whole run.
 */
export async function loadBaseline(file: string): Promise<BaselineRun> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new HarnessError('WUC_ERR_USAGE_INVALID_OPTION', `--baseline "${file}" cannot be read; give the path of a results.json from an earlier run`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new HarnessError('WUC_ERR_USAGE_INVALID_OPTION', `--baseline "${file}" is not valid JSON; give the path of a results.json from an earlier run`, { cause: err });
  }
  if (!isRunResult(parsed)) {
    throw new HarnessError(
      'WUC_ERR_USAGE_INVALID_OPTION',
      `--baseline "${file}" is not a results.json with schemaVersion 1; give the path of a results.json from an earlier run`,
    );
  }
  return { result: parsed, source: file };
}

/**
 * Picks the run that `<reports>/latest` points to before this run replaces the link, when it
 * exists, is another run and tested the same target (same name and command).
 */
export async function choosePreviousRun(runDir: string, current: RunResult): Promise<BaselineChoice> {
  const latest = path.join(path.dirname(runDir), 'latest');
  let previousDir: string;
  try {
    previousDir = await realpath(latest);
  } catch {
    return { run: null, note: 'No baseline: no earlier run in this reports folder.' };
  }
  if (previousDir === (await realpath(runDir).catch(() => runDir))) {
    return { run: null, note: 'No baseline: the latest link already points to this run.' };
  }
  const file = path.join(previousDir, 'results.json');
  let run: BaselineRun;
  try {
    run = await loadBaseline(file);
  } catch {
    return { run: null, note: `No baseline: the previous run ${path.basename(previousDir)} has no readable results.json.` };
  }
  if (!isSameTarget(run.result, current)) {
    return { run: null, note: `No baseline: the previous run ${run.result.runId} tested another target (${run.result.target.name}).` };
  }
  return { run, note: `Baseline: the previous run ${run.result.runId}, which reports/latest pointed to.` };
}

function isSameTarget(a: RunResult, b: RunResult): boolean {
  return a.target.name === b.target.name && a.target.command.join('\u0000') === b.target.command.join('\u0000');
}

/** Checks the fields the comparison reads; docs/results.schema.json describes the whole shape. */
function isRunResult(value: unknown): value is RunResult {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<RunResult>;
  return (
    candidate.schemaVersion === 1 &&
    typeof candidate.runId === 'string' &&
    typeof candidate.target?.name === 'string' &&
    Array.isArray(candidate.target.command) &&
    Array.isArray(candidate.scenarios) &&
    candidate.scenarios.every(
      (scenario) => typeof scenario?.name === 'string' && Array.isArray(scenario.findings) && Array.isArray(scenario.attempts),
    )
  );
}
