import { describe, expect, it } from 'vitest';
import { makeAttempt } from './fixtures.test-helper.ts';
import { computeAttemptLatency, computeLatencyStats } from './latency-stats.ts';

describe('computeLatencyStats', () => {
  it('computes percentiles of 1 to 100 ms', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(computeLatencyStats(values)).toEqual({ count: 100, p50Ms: 50, p90Ms: 90, p99Ms: 99, maxMs: 100 });
  });

  it('keeps sub-millisecond values', () => {
    expect(computeLatencyStats([0.4, 0.6])).toEqual({ count: 2, p50Ms: 0.4, p90Ms: 0.6, p99Ms: 0.6, maxMs: 0.6 });
  });

  it('never reports a percentile above the max', () => {
    const stats = computeLatencyStats([12.1, 22.3, 2010.5, 5000]);
    expect(stats?.maxMs).toBe(5000);
    expect(stats?.p99Ms).toBe(5000);
    expect(stats?.p90Ms).toBe(5000);
  });

  it('returns null without values', () => {
    expect(computeLatencyStats([])).toBeNull();
  });

  it('skips attempts without a response', () => {
    const attempts = [
      makeAttempt({ id: 'a#1', responseMs: 10 }),
      makeAttempt({ id: 'a#2', responseMs: null, status: null, verdict: 'hung' }),
      makeAttempt({ id: 'a#3', responseMs: 30 }),
    ];
    expect(computeAttemptLatency(attempts)?.count).toBe(2);
    expect(computeAttemptLatency(attempts)?.maxMs).toBe(30);
  });
});
