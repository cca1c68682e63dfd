import { describe, expect, it } from 'vitest';
import { buildChartData, categorize, chooseBucketMs, MAX_CONNECTION_ROWS } from './chart-data.ts';
import { computeFaultBands, computeMarkers } from './fault-bands.ts';
import { makeAttempt, makeFailingRun, makeScenario } from './fixtures.test-helper.ts';
import { makeLargeRun } from './large-fixtures.test-helper.ts';
import { pickSample } from './pick-sample.ts';

describe('computeFaultBands', () => {
  it('pairs a toxic with its removal', () => {
    const bands = computeFaultBands(
      [
        { atMs: 1500, kind: 'add-toxic', detail: 'slow-db: latency downstream latency=5000 jitter=0' },
        { atMs: 7000, kind: 'remove-toxic', detail: 'slow-db' },
      ],
      12_000,
    );
    expect(bands).toEqual([{ label: 'toxic slow-db: latency downstream latency=5000 jitter=0', fromMs: 1500, toMs: 7000, removed: true }]);
  });

  it('extends a toxic never removed to the end', () => {
    const bands = computeFaultBands([{ atMs: 0, kind: 'add-toxic', detail: 'stalled-db: latency downstream latency=5000 jitter=0' }], 10_464);
    expect(bands).toEqual([{ label: 'toxic stalled-db: latency downstream latency=5000 jitter=0', fromMs: 0, toMs: 10_464, removed: false }]);
  });

  it('draws a disabled proxy until enabled', () => {
    const bands = computeFaultBands(
      [
        { atMs: 200, kind: 'set-proxy-enabled', detail: 'false' },
        { atMs: 900, kind: 'set-proxy-enabled', detail: 'true' },
        { atMs: 1200, kind: 'set-proxy-enabled', detail: 'false' },
      ],
      2000,
    );
    expect(bands).toEqual([
      { label: 'proxy disabled', fromMs: 200, toMs: 900, removed: true },
      { label: 'proxy disabled', fromMs: 1200, toMs: 2000, removed: false },
    ]);
  });
});

describe('computeMarkers', () => {
  it('places signals, exits and anchored probe events', () => {
    const crash = makeFailingRun().scenarios[1];
    expect(crash?.name).toBe('async-verify-crash');
    const markers = computeMarkers(crash!);
    expect(markers.map((marker) => [marker.kind, marker.atMs])).toEqual([
      ['target-exit', 150],
      ['unhandled-rejection', 150],
      ['crash', 150],
    ]);
  });

  it('marks both target restart events', () => {
    const scenario = makeScenario({
      name: 'restart',
      events: [
        { atMs: 2000, kind: 'restart-target', detail: 'shutdown signal sent' },
        { atMs: 3250, kind: 'restart-target', detail: 'pid 7 exited with code 0 after 124 ms; pid 8 ready on port 4000 after 1250 ms' },
      ],
    });
    expect(computeMarkers(scenario)).toEqual([
      { atMs: 2000, kind: 'signal', label: 'restart: shutdown signal sent' },
      { atMs: 3250, kind: 'signal', label: 'restart: pid 7 exited with code 0 after 124 ms; pid 8 ready on port 4000 after 1250 ms' },
    ]);
  });

  it('leaves probe events out without an exit event', () => {
    const scenario = makeScenario({
      name: 'no-exit',
      events: [{ atMs: 1299, kind: 'signal', detail: 'SIGTERM' }],
      probe: { ...makeFailingRun().scenarios[1]!.probe!, crash: null },
    });
    expect(computeMarkers(scenario)).toEqual([{ atMs: 1299, kind: 'signal', label: 'SIGTERM' }]);
  });
});

describe('buildChartData', () => {
  it('buckets a 10 s scenario in 200 ms bars', () => {
    expect(chooseBucketMs(10_464)).toBe(200);
    expect(chooseBucketMs(1_300)).toBe(20);
    expect(chooseBucketMs(60_000)).toBe(1000);
  });

  it('counts attempts per bucket and category', () => {
    const scenario = makeScenario({
      name: 'short',
      attempts: [
        makeAttempt({ id: 'short#1', startedAtMs: 5, responseMs: 10, endedAtMs: 20 }),
        makeAttempt({ id: 'short#2', startedAtMs: 45, status: 500, responseMs: 8, closeCode: null, closedBy: null, endedAtMs: 54, verdict: 'wrong-status' }),
      ],
    });
    const data = buildChartData(scenario);
    expect(data.bucketMs).toBe(1);
    expect(data.endMs).toBe(56);
    expect(data.started.accepted.reduce((a, b) => a + b, 0)).toBe(1);
    expect(data.started.wrong[45]).toBe(1);
    expect(data.connections).toEqual([
      ['short#1', 5, 15, 20, 'accepted', '101, closed 1000 by client'],
      ['short#2', 45, 53, 54, 'wrong', '500'],
    ]);
  });

  it('samples thousands of attempts with failures kept', () => {
    const scenario = makeLargeRun().scenarios[0]!;
    const data = buildChartData(scenario);
    expect(data.connections).toHaveLength(MAX_CONNECTION_ROWS);
    expect(data.connections.filter((row) => row[4] === 'wrong')).toHaveLength(100);
    expect(data.scatterShown).toBe(2000);
    expect(data.inFlight.pending.length).toBe(data.started.accepted.length);
    expect(Math.max(...data.inFlight.pending)).toBeGreaterThan(0);
  });
});

describe('pickSample', () => {
  it('keeps order and marked items first', () => {
    const items = Array.from({ length: 20 }, (_, index) => index);
    const sample = pickSample(items, 6, (item) => item % 7 === 3);
    expect(sample).toHaveLength(6);
    expect(sample).toContain(3);
    expect(sample).toContain(10);
    expect(sample).toContain(17);
    expect([...sample].sort((a, b) => a - b)).toEqual(sample);
  });

  it('returns everything under the limit', () => {
    expect(pickSample([1, 2, 3], 5, () => false)).toEqual([1, 2, 3]);
  });
});

describe('categorize', () => {
  it('separates planned aborts from rejections', () => {
    expect(categorize(makeAttempt({ id: 'a#1', status: null, responseMs: null, aborted: true, abortAfterMs: 500 }))).toBe('aborted');
    expect(categorize(makeAttempt({ id: 'a#2', status: 401, tokenClass: 'expired' }))).toBe('rejected');
    expect(categorize(makeAttempt({ id: 'a#3', status: null, aborted: true, verdict: 'client-error' }))).toBe('error');
  });
});
