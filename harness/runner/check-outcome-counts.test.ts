import { describe, expect, it } from 'vitest';
import { REFERENCE_POLICY } from '../model/policy.ts';
import { checkOutcomeCounts, checkRetryAfter, outcomeKeyOf } from './check-outcome-counts.ts';

function attempts(statuses: (number | null)[], retryAfter: string | null = '10') {
  return statuses.map((status, i) => ({ id: `s#${i + 1}`, status, retryAfter }));
}

describe('outcomeKeyOf', () => {
  it('names an open upgrade accept and a missing response none', () => {
    expect(outcomeKeyOf({ id: 'a', status: 101 }, REFERENCE_POLICY, [])).toBe('accept');
    expect(outcomeKeyOf({ id: 'a', status: null }, REFERENCE_POLICY, [])).toBe('none');
  });

  it('prefers the counted class among classes that share a status', () => {
    expect(outcomeKeyOf({ id: 'a', status: 401 }, REFERENCE_POLICY, [])).toBe('reject:missing');
    expect(outcomeKeyOf({ id: 'a', status: 401 }, REFERENCE_POLICY, ['reject:expired'])).toBe('reject:expired');
  });

  it('names a status outside the policy by its number', () => {
    expect(outcomeKeyOf({ id: 'a', status: 500 }, REFERENCE_POLICY, [])).toBe('status:500');
  });
});

describe('checkOutcomeCounts', () => {
  const expected = { outcomeCounts: { accept: 2, 'reject:rateLimited': 1 } };

  it('passes when every count matches', () => {
    expect(checkOutcomeCounts(attempts([101, 429, 101]), REFERENCE_POLICY, expected)).toEqual([]);
  });

  it('reports each wrong count with the attempts it found and the tally', () => {
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

  it('checks nothing without outcome counts', () => {
    expect(checkOutcomeCounts(attempts([500]), REFERENCE_POLICY, {})).toEqual([]);
    expect(checkOutcomeCounts(attempts([500]), REFERENCE_POLICY)).toEqual([]);
  });
});

describe('checkRetryAfter', () => {
  it('passes 429s that carry Retry-After', () => {
    expect(checkRetryAfter(attempts([429, 429]), REFERENCE_POLICY)).toEqual([]);
  });

  it('reports 429s without Retry-After or with an empty one', () => {
    const list = [...attempts([429], null), { id: 'e#1', status: 429, retryAfter: ' ' }, ...attempts([401], null)];
    expect(checkRetryAfter(list, REFERENCE_POLICY)).toEqual([
      {
        code: 'missing-retry-after',
        message: '2 attempt(s) got 429 (rateLimited) without a Retry-After header',
        attemptIds: ['s#1', 'e#1'],
      },
    ]);
  });
});
