import { rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from '../model/result.ts';
import { compareWithBaseline, type BaselineChoice, type BaselineComparison } from './compare-baseline.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { choosePreviousRun } from './load-baseline.ts';

export interface WriteReportsOptions {
  /** Run to compare with. @default the run `<reports>/latest` pointed to, if it tested the same target */
  baseline?: BaselineChoice;
  /** Whether `latest` moves to this run; an interrupted run leaves it alone. @default true */
  updateLatest?: boolean;
}

/** Baseline and comparison the reports used, for the terminal and the CI summary. */
export interface WrittenReports {
  baseline: BaselineChoice;
  comparison: BaselineComparison | null;
}

/**
 * Writes results.json, junit.xml and index.html into `runDir` and points `latest` at it. The
 * previous `latest` is read first, because it is the default baseline.
 */
export async function writeReports(result: RunResult, runDir: string, options: WriteReportsOptions = {}): Promise<WrittenReports> {
  const baseline = options.baseline ?? (await choosePreviousRun(runDir, result));
  const comparison = baseline.run === null ? null : compareWithBaseline(result, baseline.run);
  await writeFile(path.join(runDir, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(path.join(runDir, 'junit.xml'), renderJunit(result));
  await writeFile(path.join(runDir, 'index.html'), renderHtml(result, { baseline }));
  if (options.updateLatest !== false) await updateLatest(runDir);
  return { baseline, comparison };
}

async function updateLatest(runDir: string): Promise<void> {
  const latest = path.join(path.dirname(runDir), 'latest');
  await rm(latest, { force: true, recursive: true });
  await symlink(path.basename(runDir), latest, 'dir');
}
