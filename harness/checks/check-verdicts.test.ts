import { describe, expect, it } from 'vitest';

import type { AttemptRecord } from '../model/attempt.ts';
import { checkScenario, summariseDetails } from './check-scenario.ts';

function attempt(id: string, detail: string | null, verdict: AttemptRecord['verdict'] = 'wrong-status'): AttemptRecord {
  return {
    id,
    tokenClass: 'expired',
    userId: null,
    expected: [{ kind: 'reject', status: 401, label: '401 (expired)' }],
    startedAtMs: 0,
    status: 500,
    retryAfter: null,
    responseMs: 5,
    closeCode: null,
    closeReason: null,
    closedBy: null,
    identity: null,
    error: null,
    endedAtMs: 5,
    verdict,
    detail,
  };
}

describe('summariseDetails', () => {
  it('ranks details by count', () => {
    const list = [
      attempt('s#1', 'status 500; expected 403 (forbidden)'),
      attempt('s#2', 'status 500; expected 401 (invalid)'),
      attempt('s#3', 'status 500; expected 401 (invalid)'),
    ];
    expect(summariseDetails(list, 'wrong-status')).toBe(
      'status 500; expected 401 (invalid) (×2) / status 500; expected 403 (forbidden)',
    );
  });

  it('counts details past the third', () => {
    const list = ['a', 'b', 'c', 'd', 'e'].map((detail, i) => attempt(`s#${i}`, detail));
    expect(summariseDetails(list, 'wrong-status')).toBe('a / b / c / 2 other detail(s)');
  });

  it('uses the fallback for a missing detail', () => {
    expect(summariseDetails([attempt('s#1', null)], 'hung-upgrade')).toBe('hung-upgrade');
  });
});

describe('checkScenario verdict groups', () => {
  it('names every expected status in one finding', () => {
    const findings = checkScenario({
      attempts: [
        attempt('s#1', 'status 500; expected 401 (expired)'),
        attempt('s#2', 'status 500; expected 403 (forbidden)'),
        attempt('s#3', null, 'ok'),
      ],
      probe: null,
      exit: null,
      signalled: false,
      expectedExitCode: null,
      graceMs: 1_000,
      minimums: [],
      unmetConditions: [],
      logTail: [],
    });
    expect(findings).toEqual([
      {
        code: 'wrong-status',
        message: '2 of 3 attempt(s): status 500; expected 401 (expired) / status 500; expected 403 (forbidden)',
        attemptIds: ['s#1', 's#2'],
      },
    ]);
  });
});
