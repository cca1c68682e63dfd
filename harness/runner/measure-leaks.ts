import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Finding } from '../checks/finding-codes.ts';
import { countBackends, describeBackends, type BackendCount } from './count-backends.ts';
import { TARGET_DEFAULTS } from '../target/target-defaults.ts';

/**
 * Default of the target config's `leakSettleMs`: the longest wait after the timeline for the
 * target to return to its baseline, in ms. A healthy pool keeps idle connections until its idle
 * timeout (10 s in `pg`'s Pool by default), so the wait outlasts that. The wait ends as soon as
 * every count is back.
 */
export const LEAK_SETTLE_MS = TARGET_DEFAULTS.leakSettleMs;

/** Pause between two looks at the counts while settling, in ms. */
const SETTLE_POLL_MS = 200;

/** Maximum wait for a probe sample taken after a given moment: three sample intervals, in ms. */
const SAMPLE_WAIT_MS = 1_500;
const SAMPLE_POLL_MS = 50;

/**
 * Extra active handles of one type allowed at the end. Sockets, servers and pipes get none: a
 * healthy target that is idle again has no more of them than when it was ready. Timers get
 * two, because a sample can catch one that is armed for a moment, such as a pool client's
 * idle timer or a keep-alive timer of the HTTP server.
 */
const HANDLE_TOLERANCE: Record<string, number> = { Timeout: 2, Immediate: 2 };

/** The same allowance for samples without types, where only the total can be compared. */
const TOTAL_HANDLE_TOLERANCE = 2;

/** One resource sample from the probe file. */
export interface HandleSample {
  atMs: number;
  activeHandles: number;
  /** Active resources by type name; absent in samples from probes that do not count them. */
  handlesByType: Record<string, number> | null;
}

/** Sources of the counts: the admin connection and the probe file. */
export interface LeakSources {
  adminUrl: string;
  database: string;
  /** The target's probe file; null for targets without the probe. */
  probeFile: string | null;
}

export interface LeakBaseline {
  backends: BackendCount;
  handles: HandleSample | null;
}

/**
 * Takes the baseline once the target is ready: its Postgres sessions and the first probe sample
 * written after this call, so start-up work does not count.
 */
export async function takeLeakBaseline(sources: LeakSources): Promise<LeakBaseline> {
  const sinceMs = Date.now();
  const [backends, handles] = await Promise.all([
    countBackends(sources.adminUrl, sources.database),
    sources.probeFile === null ? null : waitForSample(sources.probeFile, sinceMs),
  ]);
  return { backends, handles };
}

export interface LeakCheckResult {
  findings: Finding[];
  /** Facts the report shows without failing the scenario: a count that could not be taken. */
  notes: string[];
}

/**
 * Waits up to `settleMs` for the target's sessions and handles to return to the baseline, then
 * reports each one that did not as a `leak` finding with the numbers.
 */
export async function checkLeaks(
  sources: LeakSources,
  baseline: LeakBaseline,
  settleMs: number = LEAK_SETTLE_MS,
): Promise<LeakCheckResult> {
  const notes: string[] = [];
  if (!baseline.backends.ok) notes.push(`Postgres sessions were not compared: the baseline count failed (${baseline.backends.reason}).`);
  if (sources.probeFile !== null && baseline.handles === null) {
    notes.push(`Active handles were not compared: the probe wrote no sample within ${SAMPLE_WAIT_MS} ms of the baseline.`);
  }

  const settleStartMs = Date.now();
  const deadline = performance.now() + settleMs;
  let excess = await measureExcess(sources, baseline, settleStartMs);
  while (excess.leaks.length > 0 && performance.now() < deadline) {
    await sleep(SETTLE_POLL_MS);
    excess = await measureExcess(sources, baseline, settleStartMs);
  }
  notes.push(...excess.notes);
  const waitedMs = Date.now() - settleStartMs;
  for (const leak of excess.leaks) {
    if (leak.kind === 'backends') leak.evidence.push(...(await describeBackends(sources.adminUrl, sources.database)));
  }
  const findings = excess.leaks.map((leak) => ({
    code: 'leak' as const,
    message: `${leak.subject}: ${leak.end} at the end, ${leak.baseline} at the baseline, ${waitedMs} ms after the last attempt ended`,
    evidence: leak.evidence,
  }));
  return { findings, notes };
}

interface Excess {
  kind: 'backends' | 'handles';
  subject: string;
  baseline: number;
  end: number;
  evidence: string[];
}

async function measureExcess(
  sources: LeakSources,
  baseline: LeakBaseline,
  sinceMs: number,
): Promise<{ leaks: Excess[]; notes: string[] }> {
  const leaks: Excess[] = [];
  const notes: string[] = [];
  if (baseline.backends.ok) {
    const end = await countBackends(sources.adminUrl, sources.database);
    if (!end.ok) notes.push(`Postgres sessions were not compared: the final count failed (${end.reason}).`);
    else if (end.backends > baseline.backends.backends) {
      leaks.push({
        kind: 'backends',
        subject: `Postgres sessions of the target on database ${sources.database}`,
        baseline: baseline.backends.backends,
        end: end.backends,
        evidence: ['sessions from pg_stat_activity (client backends on the database, harness sessions left out):'],
      });
    }
  }
  if (sources.probeFile !== null && baseline.handles !== null) {
    const sample = await waitForSample(sources.probeFile, sinceMs);
    if (sample === null) notes.push(`Active handles were not compared: the probe wrote no sample after the timeline ended.`);
    else leaks.push(...compareHandles(baseline.handles, sample));
  }
  return { leaks, notes };
}

/** Compares two probe samples per handle type when both have types, else by total. */
export function compareHandles(baseline: HandleSample, end: HandleSample): Excess[] {
  if (baseline.handlesByType === null || end.handlesByType === null) {
    if (end.activeHandles <= baseline.activeHandles + TOTAL_HANDLE_TOLERANCE) return [];
    return [{ kind: 'handles', subject: 'active handles in the target', baseline: baseline.activeHandles, end: end.activeHandles, evidence: [] }];
  }
  const before = baseline.handlesByType;
  const after = end.handlesByType;
  const grown = Object.keys(after).filter((type) => (after[type] ?? 0) > (before[type] ?? 0) + (HANDLE_TOLERANCE[type] ?? 0));
  return grown.map((type) => ({
    kind: 'handles' as const,
    subject: `active ${type} handles in the target`,
    baseline: before[type] ?? 0,
    end: after[type] ?? 0,
    evidence: [`baseline handles: ${formatCounts(before)}`, `end handles: ${formatCounts(after)}`],
  }));
}

function formatCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([type, count]) => `${type} ${count}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** Polls the probe file for the newest sample taken at `sinceMs` or later; null after the wait. */
async function waitForSample(probeFile: string, sinceMs: number): Promise<HandleSample | null> {
  const deadline = performance.now() + SAMPLE_WAIT_MS;
  for (;;) {
    const sample = (await readHandleSamples(probeFile)).findLast((candidate) => candidate.atMs >= sinceMs);
    if (sample !== undefined) return sample;
    if (performance.now() >= deadline) return null;
    await sleep(SAMPLE_POLL_MS);
  }
}

/** Reads the `resources` lines of a probe file; a missing file or a partial line yields nothing. */
export async function readHandleSamples(probeFile: string): Promise<HandleSample[]> {
  let text: string;
  try {
    text = await readFile(probeFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const samples: HandleSample[] = [];
  for (const line of text.split('\n')) {
    const sample = parseSample(line);
    if (sample !== null) samples.push(sample);
  }
  return samples;
}

function parseSample(line: string): HandleSample | null {
  if (!line.startsWith('{"type":"resources"')) return null;
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    const { atMs, activeHandles, handlesByType } = record;
    if (typeof atMs !== 'number' || typeof activeHandles !== 'number') return null;
    const byType = typeof handlesByType === 'object' && handlesByType !== null ? (handlesByType as Record<string, number>) : null;
    return { atMs, activeHandles, handlesByType: byType };
  } catch {
    // A line cut short by a crash mid-write carries no sample that can be trusted.
    return null;
  }
}
