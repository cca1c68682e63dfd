import { describe, expect, it } from 'vitest';
import { REFERENCE_POLICY } from '../model/policy.ts';
import { checkRetryAfter } from './check-retry-after.ts';

function attempts(statuses: number[], retryAfter: string | null) {
  return statuses.map((status, i) => ({ id: `s#${i + 1}`, status, retryAfter }));
}

describe('checkRetryAfter', () => {
  it('passes 429 with Retry-After', () => {
    expect(checkRetryAfter(attempts([429, 429], '10'), REFERENCE_POLICY)).toEqual([]);
  });

  it('reports 429 without Retry-After', () => {
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
