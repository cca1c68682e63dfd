import { readFileSync } from 'node:fs';
import type { BackendSample } from '../runner/database-admin.ts';
import type { Finding } from './finding-codes.ts';

/** One probe resource sample with per-type counts (`handlesByType` in the probe's lines). */
export interface HandleSample {
  /** `Date.now()` in the target. */
  atMs: number;
  handlesByType: Record<string, number>;
}

/** A bound on one resource type from `expect.maxHandles`. */
export interface HandleLimit {
  type: string;
  /** From this offset after the scenario start, in ms. */
  atMs: number;
  count: number;
}

/**
 * Reads the resource samples that carry `handlesByType` from the probe's JSON lines. Lines that
 * do not parse (a crash mid-write) and samples without per-type counts are skipped; a missing
 * file gives no samples.
 */
export function readHandleSamples(probeFile: string): HandleSample[] {
  let text: string;
  try {
    text = readFileSync(probeFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const samples: HandleSample[] = [];
  for (const line of text.split('\n')) {
    const record = parseRecord(line);
    if (record === null || record.type !== 'resources') continue;
    const { atMs, handlesByType } = record;
    if (typeof atMs !== 'number' || typeof handlesByType !== 'object' || handlesByType === null) continue;
    samples.push({ atMs, handlesByType: handlesByType as Record<string, number> });
  }
  return samples;
}

function parseRecord(line: string): Record<string, unknown> | null {
  if (line.trim() === '') return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    // A partial line from a crash mid-write has nothing to check.
    return null;
  }
}

/**
 * Checks every sample taken `limit.atMs` or later after `scenarioStartEpochMs` (wall clock)
 * against the limit, up to `untilEpochMs` (the sample the probe writes at exit comes after the
 * target was asked to stop and is left out). No sample in that window is a `no-samples` finding.
 */
export function checkHandleLimit(
  samples: HandleSample[],
  limit: HandleLimit,
  scenarioStartEpochMs: number,
  untilEpochMs: number,
): Finding[] {
  const fromMs = scenarioStartEpochMs + limit.atMs;
  const window = samples.filter((sample) => sample.atMs >= fromMs && sample.atMs <= untilEpochMs);
  if (window.length === 0) {
    return [
      {
        code: 'no-samples',
        message: `no probe sample with per-type handle counts was taken ${limit.atMs} ms or later after the start, so the ${limit.type} limit cannot pass`,
      },
    ];
  }
  const over = window.filter((sample) => (sample.handlesByType[limit.type] ?? 0) > limit.count);
  if (over.length === 0) return [];
  const peak = Math.max(...over.map((sample) => sample.handlesByType[limit.type] ?? 0));
  return [
    {
      code: 'handle-limit',
      message:
        `${over.length} of ${window.length} probe sample(s) from ${limit.atMs} ms on counted more than ` +
        `${limit.count} ${limit.type} in the target (max ${peak})`,
      evidence: over.map((sample) => `${sample.atMs - scenarioStartEpochMs} ms: ${JSON.stringify(sample.handlesByType)}`),
    },
  ];
}

/** Checks `pg_stat_activity` samples against `expect.maxBackends`; no sample is a finding. */
export function checkBackendLimit(
  sampled: { samples: BackendSample[]; error: string | null },
  maxCount: number,
): Finding[] {
  const { samples, error } = sampled;
  if (samples.length === 0) {
    const reason = error === null ? 'the sampler took none' : `sampling failed: ${error}`;
    return [{ code: 'no-samples', message: `no pg_stat_activity sample, so the backend limit cannot pass (${reason})` }];
  }
  const over = samples.filter((sample) => sample.total > maxCount);
  if (over.length === 0) return [];
  const peak = Math.max(...over.map((sample) => sample.total));
  return [
    {
      code: 'backend-limit',
      message: `${over.length} of ${samples.length} pg_stat_activity sample(s) counted more than ${maxCount} target sessions (max ${peak})`,
      evidence: over.slice(0, 20).map((s) => `${s.atMs} ms after sampling started: ${s.total} sessions, ${s.idleNeverQueried} idle that never ran a statement`),
    },
  ];
}
