import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../model/attempt.ts';
import { checkAborts } from './check-aborts.ts';

function attempt(id: string, overrides: Partial<AttemptRecord>): AttemptRecord {
  return {
    id,
    tokenClass: 'valid',
    userId: 'user-0001',
    expected: [{ kind: 'accept', closeCode: null, label: 'accept' }],
    startedAtMs: 0,
    status: null,
    retryAfter: null,
    responseMs: null,
    closeCode: null,
    closeReason: null,
    closedBy: null,
    identity: null,
    error: null,
    endedAtMs: 500,
    verdict: 'ok',
    detail: null,
    ...overrides,
  };
}

describe('checkAborts', () => {
  it('passes attempts that aborted', () => {
    expect(checkAborts([attempt('a#1', { abortAfterMs: 500, aborted: true }), attempt('a#2', {})])).toEqual([]);
  });

  it('flags responses before the abort', () => {
    const attempts = [
      attempt('a#1', { abortAfterMs: 500, aborted: true }),
      attempt('a#2', { abortAfterMs: 500, aborted: false, status: 101, responseMs: 20 }),
    ];
    expect(checkAborts(attempts)).toEqual([
      {
        code: 'fault-not-exercised',
        message: '1 of 2 attempt(s) meant to abort got a response before their abort at 500 ms, so their clients never left mid-verification',
        attemptIds: ['a#2'],
      },
    ]);
  });

  it('leaves socket errors to the verdicts', () => {
    expect(checkAborts([attempt('a#1', { abortAfterMs: 500, aborted: false, error: 'ECONNRESET' })])).toEqual([]);
  });
});
