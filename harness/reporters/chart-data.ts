import type { AttemptRecord } from '../model/attempt.ts';
import type { ScenarioResult } from '../model/result.ts';
import { computeFaultBands, computeMarkers, type FaultBand, type TimeMarker } from './fault-bands.ts';
import { computeHistogram, type LatencyHistogram } from './latency-histogram.ts';
import { pickSample } from './pick-sample.ts';

/** Outcome category of an attempt, as the charts colour it. */
export const OUTCOME_CATEGORIES = ['accepted', 'rejected', 'aborted', 'wrong', 'hung', 'error'] as const;
export type OutcomeCategory = (typeof OUTCOME_CATEGORIES)[number];

/** Connections drawn in the per-connection timeline; more are sampled down to this. */
export const MAX_CONNECTION_ROWS = 300;
/** Points in the response-time scatter; more are sampled down to this. */
export const MAX_SCATTER_POINTS = 2000;
/** Upper bound of time buckets on the outcomes-over-time chart. */
const MAX_TIME_BUCKETS = 80;
const NICE_STEPS_MS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000];

/** One connection: id, sent, response or open (null if none), end, category, outcome label. */
export type ConnectionRow = [string, number, number | null, number, OutcomeCategory, string];

/** The data a scenario's charts draw, embedded in the report as JSON. */
export interface ScenarioChartData {
  endMs: number;
  bucketMs: number;
  /** Attempts started per time bucket, one array of counts per category. */
  started: Record<OutcomeCategory, number[]>;
  /** Connections waiting for a response, and connections open, at each bucket's middle. */
  inFlight: { pending: number[]; open: number[] };
  /** [startedAtMs, time to outcome in ms] per category, sampled. */
  scatter: Record<OutcomeCategory, [number, number][]>;
  scatterShown: number;
  connections: ConnectionRow[];
  attempts: number;
  histogram: LatencyHistogram;
  bands: FaultBand[];
  markers: TimeMarker[];
}

export function buildChartData(scenario: ScenarioResult): ScenarioChartData {
  const attempts = scenario.attempts;
  const lastMs = computeLastMs(scenario);
  const bucketMs = chooseBucketMs(lastMs);
  // Ending the axis on a bucket edge gives round tick labels and full-width last bars.
  const endMs = Math.ceil(lastMs / bucketMs) * bucketMs;
  const scatterSample = pickSample(attempts, MAX_SCATTER_POINTS, isProblem);
  const connectionSample = pickSample(attempts, MAX_CONNECTION_ROWS, isProblem);
  return {
    endMs,
    bucketMs,
    started: countStarted(attempts, endMs, bucketMs),
    inFlight: countInFlight(attempts, endMs, bucketMs),
    scatter: groupScatter(scatterSample, endMs),
    scatterShown: scatterSample.length,
    connections: connectionSample.map((attempt) => toConnectionRow(attempt, endMs)),
    attempts: attempts.length,
    histogram: computeHistogram(attempts, categorize),
    bands: computeFaultBands(scenario.events, endMs),
    markers: computeMarkers(scenario),
  };
}

export function categorize(attempt: AttemptRecord): OutcomeCategory {
  if (attempt.verdict === 'hung') return 'hung';
  if (attempt.verdict === 'client-error') return 'error';
  if (attempt.verdict !== 'ok') return 'wrong';
  // The client left on purpose (abortAfterMs) before any response.
  if (attempt.aborted === true) return 'aborted';
  return attempt.status === 101 ? 'accepted' : 'rejected';
}

function isProblem(attempt: AttemptRecord): boolean {
  return attempt.verdict !== 'ok';
}

/** Finds the last moment anything happened, plus 2 %, so a fault never removed shows to the end. */
function computeLastMs(scenario: ScenarioResult): number {
  let endMs = 0;
  for (const attempt of scenario.attempts) {
    endMs = Math.max(endMs, attempt.startedAtMs, attempt.endedAtMs ?? 0, attempt.startedAtMs + (attempt.responseMs ?? 0));
  }
  for (const event of scenario.events) endMs = Math.max(endMs, event.atMs);
  return Math.max(1, Math.ceil(endMs * 1.02));
}

/** Picks the smallest round bucket width that keeps the chart within MAX_TIME_BUCKETS bars. */
export function chooseBucketMs(endMs: number): number {
  const step = NICE_STEPS_MS.find((candidate) => endMs / candidate <= MAX_TIME_BUCKETS);
  return step ?? Math.ceil(endMs / MAX_TIME_BUCKETS / 60_000) * 60_000;
}

function countStarted(attempts: AttemptRecord[], endMs: number, bucketMs: number): Record<OutcomeCategory, number[]> {
  const buckets = Math.max(1, Math.ceil(endMs / bucketMs));
  const started = emptyRecord(() => new Array<number>(buckets).fill(0));
  for (const attempt of attempts) {
    const index = Math.min(buckets - 1, Math.max(0, Math.floor(attempt.startedAtMs / bucketMs)));
    started[categorize(attempt)][index] = (started[categorize(attempt)][index] ?? 0) + 1;
  }
  return started;
}

/** Aggregates every connection, where the per-connection timeline can show only a sample. */
function countInFlight(attempts: AttemptRecord[], endMs: number, bucketMs: number): { pending: number[]; open: number[] } {
  const buckets = Math.max(1, Math.ceil(endMs / bucketMs));
  const pending = new Array<number>(buckets).fill(0);
  const open = new Array<number>(buckets).fill(0);
  for (const attempt of attempts) {
    const [, sentMs, respondedAtMs, closedAtMs] = toConnectionRow(attempt, endMs);
    const waitEndMs = respondedAtMs ?? closedAtMs;
    for (let index = Math.max(0, Math.ceil(sentMs / bucketMs - 0.5)); index < buckets; index += 1) {
      const atMs = (index + 0.5) * bucketMs;
      if (atMs >= closedAtMs && atMs >= waitEndMs) break;
      if (atMs < waitEndMs) pending[index] = (pending[index] ?? 0) + 1;
      else if (attempt.status === 101) open[index] = (open[index] ?? 0) + 1;
    }
  }
  return { pending, open };
}

function groupScatter(attempts: AttemptRecord[], endMs: number): Record<OutcomeCategory, [number, number][]> {
  const points = emptyRecord((): [number, number][] => []);
  for (const attempt of attempts) {
    points[categorize(attempt)].push([attempt.startedAtMs, round(outcomeAtMs(attempt, endMs) - attempt.startedAtMs)]);
  }
  return points;
}

/** When the attempt got its outcome: the response, else its end, else the end of the scenario. */
function outcomeAtMs(attempt: AttemptRecord, endMs: number): number {
  if (attempt.responseMs !== null) return attempt.startedAtMs + attempt.responseMs;
  return attempt.endedAtMs ?? endMs;
}

function toConnectionRow(attempt: AttemptRecord, endMs: number): ConnectionRow {
  const respondedAtMs = attempt.responseMs === null ? null : round(attempt.startedAtMs + attempt.responseMs);
  const end = attempt.endedAtMs ?? (attempt.status === null ? endMs : (respondedAtMs ?? endMs));
  return [attempt.id, attempt.startedAtMs, respondedAtMs, round(end), categorize(attempt), describeOutcome(attempt)];
}

/** Describes what the client saw in a short label: `503`, `101, closed 1001 by server`, `hung`. */
export function describeOutcome(attempt: AttemptRecord): string {
  if (attempt.status === null && attempt.aborted === true && attempt.error === null) return 'aborted by the client';
  if (attempt.status === null) return attempt.error === null ? 'hung' : `error ${attempt.error}`;
  if (attempt.status !== 101) return String(attempt.status);
  if (attempt.closeCode === null) return '101, no close seen';
  const by = attempt.closedBy === null ? '' : ` by ${attempt.closedBy}`;
  return `101, closed ${attempt.closeCode}${by}`;
}

function emptyRecord<T>(make: () => T): Record<OutcomeCategory, T> {
  return { accepted: make(), rejected: make(), aborted: make(), wrong: make(), hung: make(), error: make() };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
