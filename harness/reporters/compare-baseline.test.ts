import { describe, expect, it } from 'vitest';
import { compareWithBaseline, isLatencyRegression } from './compare-baseline.ts';
import { makeAttempt, makeFailingRun, makePassingRun, makeRun, makeScenario } from './fixtures.test-helper.ts';

function runWithLatency(name: string, responseMs: number) {
  const attempts = Array.from({ length: 10 }, (_, index) => makeAttempt({ id: `${name}#${index + 1}`, responseMs }));
  return makeRun([makeScenario({ name, attempts })]);
}

describe('compareWithBaseline', () => {
  it('lists new and resolved findings', () => {
    const before = makeFailingRun();
    const now = makeFailingRun();
    now.scenarios[2]!.findings = [
      { code: 'wrong-status', message: 'status 500' },
      { code: 'slow-shutdown', message: 'target exited 12000 ms after the signal' },
    ];
    const comparison = compareWithBaseline(now, { result: before, source: '/runs/a/results.json' });
    expect(comparison.newFindings).toEqual([
      { scenario: 'shutdown-mid-verification', code: 'slow-shutdown', message: 'target exited 12000 ms after the signal' },
    ]);
    expect(comparison.resolvedFindings.map((finding) => finding.code)).toEqual(['abnormal-closure', 'exit-code']);
    expect(comparison.baselineRunId).toBe(before.runId);
  });

  it('counts findings of added scenarios as new', () => {
    const comparison = compareWithBaseline(makeFailingRun(), { result: makePassingRun(), source: 'b.json' });
    expect(comparison.addedScenarios).toEqual(['async-verify-crash', 'shutdown-mid-verification']);
    expect(comparison.newFindings).toHaveLength(7);
    expect(comparison.resolvedFindings).toEqual([]);
  });

  it('flags a p90 regression', () => {
    const comparison = compareWithBaseline(runWithLatency('slow-db', 400), { result: runWithLatency('slow-db', 200), source: 'b.json' });
    expect(comparison.latency).toEqual([{ scenario: 'slow-db', baselineP90Ms: 200, currentP90Ms: 400, regressed: true }]);
  });
});

describe('isLatencyRegression', () => {
  it('needs both the ratio and the delta', () => {
    expect(isLatencyRegression(4, 40)).toBe(false);
    expect(isLatencyRegression(5000, 5060)).toBe(false);
    expect(isLatencyRegression(200, 260)).toBe(true);
    expect(isLatencyRegression(200, 240)).toBe(false);
    expect(isLatencyRegression(300, 350)).toBe(false);
  });
});
