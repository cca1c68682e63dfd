import { describe, expect, it } from 'vitest';
import { makeAttempt } from './fixtures.test-helper.ts';
import { computePhaseMedians, renderPhasePanel } from './html-phase-panel.ts';

describe('computePhaseMedians', () => {
  it('returns null without phase timings', () => {
    expect(computePhaseMedians([makeAttempt({ id: 's#1' })])).toBeNull();
  });

  it('takes each phase median over reporting attempts', () => {
    const attempts = [
      makeAttempt({ id: 's#1', phases: { token: 1, limit: 0.2, lookup: 400 } }),
      makeAttempt({ id: 's#2', phases: { token: 3, limit: 0.4, lookup: 410 } }),
      makeAttempt({ id: 's#3', phases: { token: 2 } }),
      makeAttempt({ id: 's#4' }),
    ];
    const medians = computePhaseMedians(attempts);

    expect(medians?.count).toBe(3);
    expect([...(medians?.mediansMs.keys() ?? [])]).toEqual(['token', 'limit', 'lookup']);
    expect(medians?.mediansMs.get('token')).toBe(2);
    expect(medians?.mediansMs.get('limit')).toBeCloseTo(0.3, 10);
    expect(medians?.mediansMs.get('lookup')).toBe(405);
  });
});

describe('renderPhasePanel', () => {
  it('renders nothing without phase timings', () => {
    expect(renderPhasePanel([makeAttempt({ id: 's#1' })])).toBe('');
  });

  it('renders one column per phase', () => {
    const html = renderPhasePanel([
      makeAttempt({ id: 's#1', phases: { token: 0.5, lookup: 402 } }),
      makeAttempt({ id: 's#2', phases: { token: 0.7 } }),
    ]);

    expect(html).toContain('<th>token</th><th>lookup</th>');
    expect(html).toContain('<td>all attempts</td><td class="num">2</td><td class="num">0.6 ms</td><td class="num">402 ms</td>');
  });

  it('escapes phase names from the target', () => {
    const html = renderPhasePanel([makeAttempt({ id: 's#1', phases: { '<b>': 1 } })]);
    expect(html).toContain('<th>&lt;b&gt;</th>');
  });
});
