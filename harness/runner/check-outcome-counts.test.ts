import { describe, expect, it } from 'vitest';
import { REFERENCE_POLICY } from '../model/policy.ts';
import { checkOutcomeCounts, outcomeKeyOf } from './check-outcome-counts.ts';

function attempts(statuses: (number | null)[], retryAfter: string | null = '10') {
  return statuses.map((status, i) => ({ id: `s#${i + 1}`, status, retryAfter }));
}

describe('outcomeKeyOf', () => {
  it('names accept and no response', () => {
    expect(outcomeKeyOf({ id: 'a', status: 101 }, REFERENCE_POLICY, [])).toBe('accept');
    expect(outcomeKeyOf({ id: 'a', status: null }, REFERENCE_POLICY, [])).toBe('none');
  });

  it('prefers the counted shared-status class', () => {
    expect(outcomeKeyOf({ id: 'a', status: 401 }, REFERENCE_POLICY, [])).toBe('reject:missing');
    expect(outcomeKeyOf({ id: 'a', status: 401 }, REFERENCE_POLICY, ['reject:expired'])).toBe('reject:expired');
  });

  it('names an unknown status by number', () => {
    expect(outcomeKeyOf({ id: 'a', status: 500 }, REFERENCE_POLICY, [])).toBe('status:500');
  });
});

describe('checkOutcomeCounts', () => {
  const expected = { outcomeCounts: { accept: 2, 'reject:rateLimited': 1 } };

  it('passes matching counts', () => {
    expect(checkOutcomeCounts(attempts([101, 429, 101]), REFERENCE_POLICY, expected)).toEqual([]);
  });

  it('reports each wrong count', () => {
    const findings = checkOutcomeCounts(attempts([101, 101, 101]), REFERENCE_POLICY, expected);
    expect(findings).toEqual([
      {
        code: 'outcome-count',
        message: '3 attempt(s) with outcome accept; expected exactly 2 (accept: 3)',
        attemptIds: ['s#1', 's#2', 's#3'],
      },
      {
        code: 'outcome-count',
        message: '0 attempt(s) with outcome reject:rateLimited; expected exactly 1 (accept: 3)',
        attemptIds: [],
      },
    ]);
  });

  it('ignores scenarios without counts', () => {
    expect(checkOutcomeCounts(attempts([500]), REFERENCE_POLICY, {})).toEqual([]);
    expect(checkOutcomeCounts(attempts([500]), REFERENCE_POLICY)).toEqual([]);
  });
});
