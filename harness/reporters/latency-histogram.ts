import type { AttemptRecord } from '../model/attempt.ts';
import type { OutcomeCategory } from './chart-data.ts';

/** Response-time buckets, where bucket i counts values from edgesMs[i] up to edgesMs[i + 1]. */
export interface LatencyHistogram {
  edgesMs: number[];
  counts: Record<OutcomeCategory, number[]>;
}

/** Renard R10 steps: ten buckets per decade of equal width on a log axis. */
const LOG_STEPS = [1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8];
const NICE_WIDTHS_MS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];
const TARGET_LINEAR_BUCKETS = 30;
/** Above this max-to-min ratio a linear axis squeezes the fast responses into one bar. */
const LOG_SCALE_RATIO = 20;

/**
 * Buckets the attempts' response times, linearly when they span a narrow range (a short run
 * still gets about 30 bars) and logarithmically when they span decades (10 ms next to 5 s).
 */
export function computeHistogram(attempts: readonly AttemptRecord[], categorize: (attempt: AttemptRecord) => OutcomeCategory): LatencyHistogram {
  const timed = attempts.filter((attempt) => attempt.responseMs !== null);
  const values = timed.map((attempt) => attempt.responseMs as number);
  const edgesMs = values.length === 0 ? [] : chooseEdges(Math.min(...values), Math.max(...values));
  const buckets = Math.max(0, edgesMs.length - 1);
  const counts: Record<OutcomeCategory, number[]> = {
    accepted: new Array<number>(buckets).fill(0),
    rejected: new Array<number>(buckets).fill(0),
    aborted: new Array<number>(buckets).fill(0),
    wrong: new Array<number>(buckets).fill(0),
    hung: new Array<number>(buckets).fill(0),
    error: new Array<number>(buckets).fill(0),
  };
  for (const attempt of timed) {
    const index = findBucket(edgesMs, attempt.responseMs as number);
    const row = counts[categorize(attempt)];
    row[index] = (row[index] ?? 0) + 1;
  }
  return { edgesMs, counts };
}

function chooseEdges(minMs: number, maxMs: number): number[] {
  if (maxMs / Math.max(minMs, 0.1) > LOG_SCALE_RATIO) return logEdges(minMs, maxMs);
  const span = Math.max(maxMs - minMs, 0.1);
  const width = NICE_WIDTHS_MS.find((candidate) => span / candidate <= TARGET_LINEAR_BUCKETS) ?? 10_000;
  const first = Math.floor(minMs / width) * width;
  const edges: number[] = [];
  for (let edge = first; edges.length === 0 || (edges.at(-1) as number) <= maxMs; edge += width) {
    edges.push(Number(edge.toFixed(1)));
  }
  return edges;
}

function logEdges(minMs: number, maxMs: number): number[] {
  const edges: number[] = [];
  let decade = 10 ** Math.floor(Math.log10(Math.max(minMs, 0.1)));
  // Bounded: each pass grows the decade tenfold, and the values are finite.
  for (let pass = 0; pass < 12; pass += 1, decade *= 10) {
    for (const step of LOG_STEPS) {
      const edge = Number((step * decade).toPrecision(3));
      if (edge > maxMs) {
        edges.push(edge);
        return trimStart(edges, minMs);
      }
      edges.push(edge);
    }
  }
  return trimStart(edges, minMs);
}

/** Drops leading edges so that the first bucket is the one holding `minMs`. */
function trimStart(edges: number[], minMs: number): number[] {
  let start = 0;
  while (start + 1 < edges.length && (edges[start + 1] as number) <= minMs) start += 1;
  return edges.slice(start);
}

function findBucket(edgesMs: number[], value: number): number {
  for (let index = edgesMs.length - 2; index >= 0; index -= 1) {
    if (value >= (edgesMs[index] as number)) return index;
  }
  return 0;
}
