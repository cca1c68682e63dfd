import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../model/attempt.ts';
import type { ReconnectPolicy } from '../model/scenario.ts';
import { makeAttempt } from '../reporters/fixtures.test-helper.ts';
import { backoffMs, runReconnectingClient, type RestartWindow } from './reconnect-client.ts';

const POLICY: ReconnectPolicy = { maxTries: 5, baseDelayMs: 1, maxDelayMs: 4, budgetMs: 5_000, reconnectHoldMs: 0 };

const serverClosed = { status: 101, closeCode: 1001, closedBy: 'server' } as const;
const refused = { status: null, closeCode: null, closedBy: null, error: 'ECONNREFUSED', verdict: 'client-error', detail: 'socket error before any response: ECONNREFUSED' } as const;
const unavailable = { status: 503, closeCode: null, closedBy: null } as const;
const session = { status: 101, closeCode: 1000, closedBy: 'client' } as const;

/** Runs a client whose tries see `outcomes` in order, then sessions of its own. */
async function runWith(outcomes: Partial<AttemptRecord>[], windows: RestartWindow[] = [], policy = POLICY) {
  let next = 0;
  return runReconnectingClient({
    policy,
    clientIndex: 2,
    restartWindows: () => windows,
    runTry: async (tryNumber) => makeAttempt({ id: `s#${tryNumber}`, ...(outcomes[next++] ?? session) }),
  });
}

describe('runReconnectingClient', () => {
  it('retries until a session of its own', async () => {
    const outcome = await runWith([serverClosed, unavailable, { ...refused, startedAtMs: 50 }, session], [{ startMs: 40, endMs: 60 }]);

    expect(outcome.unmet).toBeNull();
    expect(outcome.tries.map((attempt) => attempt.status)).toEqual([101, 503, null, 101]);
    expect(outcome.tries.map((attempt) => attempt.reconnect)).toEqual([1, 2, 3, 4].map((tryNumber) => ({ client: 3, tryNumber })));
  });

  it('excuses refusals only during a restart', async () => {
    const outcome = await runWith([{ ...refused, startedAtMs: 50 }, { ...refused, startedAtMs: 70 }], [{ startMs: 40, endMs: 60 }]);

    expect(outcome.tries.map((attempt) => attempt.verdict)).toEqual(['ok', 'client-error', 'ok']);
    expect(outcome.tries[0]?.detail).toBeNull();
    expect(outcome.tries[1]?.detail).toBe('socket error before any response: ECONNREFUSED');
  });

  it('stops after a status no retry fixes', async () => {
    const outcome = await runWith([{ status: 401, closeCode: null, closedBy: null, verdict: 'wrong-status' }]);

    expect(outcome.tries).toHaveLength(1);
    expect(outcome.unmet).toBeNull();
  });

  it('reports running out of tries', async () => {
    const outcome = await runWith(Array.from({ length: 5 }, () => unavailable));

    expect(outcome.tries).toHaveLength(5);
    expect(outcome.unmet).toBe('reconnecting client 3 got no session of its own in 5 tries (all 5 tries used); last try: status 503');
  });

  it('reports running out of budget', async () => {
    const policy = { ...POLICY, baseDelayMs: 400, maxDelayMs: 400, budgetMs: 100 };
    const outcome = await runWith([unavailable, unavailable], [], policy);

    expect(outcome.tries).toHaveLength(1);
    expect(outcome.unmet).toBe(
      'reconnecting client 3 got no session of its own in 1 tries (the next try would start after its 100 ms budget); last try: status 503',
    );
  });
});

describe('backoffMs', () => {
  it('doubles up to the maximum', () => {
    const policy = { ...POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((failed) => backoffMs(policy, failed, 0))).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('spreads clients between half and full', () => {
    const policy = { ...POLICY, baseDelayMs: 1_000, maxDelayMs: 1_000 };
    const delays = Array.from({ length: 200 }, (_, client) => backoffMs(policy, 1, client));
    expect(Math.min(...delays)).toBe(500);
    expect(Math.max(...delays)).toBe(995);
    expect(new Set(delays).size).toBe(100);
  });
});
