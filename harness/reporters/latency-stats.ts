import { build } from 'hdr-histogram-js';
import type { AttemptRecord } from '../model/attempt.ts';

/** Handshake latency percentiles in ms, from an HDR histogram with 3 significant digits. */
export interface LatencyStats {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Response times are recorded in microseconds so sub-millisecond differences survive. */
const MICROS_PER_MS = 1000;

/** Computes percentiles of `valuesMs`; returns null when there is no value. */
export function computeLatencyStats(valuesMs: readonly number[]): LatencyStats | null {
  if (valuesMs.length === 0) return null;
  const histogram = build({ numberOfSignificantValueDigits: 3 });
  for (const value of valuesMs) histogram.recordValue(Math.max(0, Math.round(value * MICROS_PER_MS)));
  const max = histogram.maxValue;
  // The histogram reports a bucket's highest equivalent value, which can lie above the true max.
  const at = (percentile: number) => toMs(Math.min(histogram.getValueAtPercentile(percentile), max));
  const stats = { count: histogram.totalCount, p50Ms: at(50), p90Ms: at(90), p99Ms: at(99), maxMs: toMs(max) };
  histogram.destroy();
  return stats;
}

/** Percentiles of the attempts' `responseMs`; attempts without a response are left out. */
export function computeAttemptLatency(attempts: readonly AttemptRecord[]): LatencyStats | null {
  return computeLatencyStats(responseTimes(attempts));
}

export function responseTimes(attempts: readonly AttemptRecord[]): number[] {
  const values: number[] = [];
  for (const attempt of attempts) {
    if (attempt.responseMs !== null) values.push(attempt.responseMs);
  }
  return values;
}

function toMs(micros: number): number {
  return Math.round(micros / 100) / 10;
}
