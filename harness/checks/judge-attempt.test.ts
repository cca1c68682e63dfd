import { describe, expect, it } from 'vitest';
import type { AttemptRecord, ResolvedOutcome } from '../model/attempt.ts';
import { judgeAttempt } from './judge-attempt.ts';

const ACCEPT: ResolvedOutcome = { kind: 'accept', closeCode: null, label: 'accept' };
const ACCEPT_THEN_1001: ResolvedOutcome = { kind: 'accept', closeCode: 1001, label: 'accept, then close 1001 (shutdown)' };
const REJECT_401: ResolvedOutcome = { kind: 'reject', status: 401, label: '401 (invalid)' };
const REJECT_503: ResolvedOutcome = { kind: 'reject', status: 503, label: '503 (shuttingDown)' };

function attempt(overrides: Partial<AttemptRecord>): Omit<AttemptRecord, 'verdict' | 'detail'> {
  return {
    id: 'test#1',
    tokenClass: 'valid',
    userId: 'user-0001',
    expected: [ACCEPT],
    startedAtMs: 0,
    status: 101,
    retryAfter: null,
    responseMs: 12,
    closeCode: 1000,
    closeReason: '',
    closedBy: 'client',
    identity: 'user-0001',
    error: null,
    endedAtMs: 20,
    ...overrides,
  };
}

describe('judgeAttempt', () => {
  it('accepts a matching accept', () => {
    expect(judgeAttempt(attempt({}), {})).toEqual({ verdict: 'ok', detail: null });
  });

  it('passes a planned client abort', () => {
    const aborted = attempt({ status: null, responseMs: null, closeCode: null, closedBy: null, abortAfterMs: 500, aborted: true });
    expect(judgeAttempt(aborted, { maxResponseMs: 100 })).toEqual({ verdict: 'ok', detail: null });
  });

  it('flags a socket error before the abort', () => {
    const failed = attempt({ status: null, responseMs: null, closeCode: null, error: 'ECONNRESET', abortAfterMs: 500, aborted: false });
    expect(judgeAttempt(failed, {})).toEqual({ verdict: 'client-error', detail: 'socket error before any response: ECONNRESET' });
  });

  it('judges a response before the abort', () => {
    const answered = attempt({ status: 500, closeCode: null, abortAfterMs: 500, aborted: false });
    expect(judgeAttempt(answered, {})).toEqual({ verdict: 'wrong-status', detail: 'status 500; expected accept' });
  });

  it('flags a 500 where 401 belongs', () => {
    const result = judgeAttempt(attempt({ expected: [REJECT_401], status: 500, closeCode: null }), {});
    expect(result.verdict).toBe('wrong-status');
    expect(result.detail).toBe('status 500; expected 401 (invalid)');
  });

  it('flags an accept where a reject belongs', () => {
    const result = judgeAttempt(attempt({ expected: [REJECT_401] }), {});
    expect(result.verdict).toBe('unexpected-accept');
  });

  it('flags another user’s identity', () => {
    const result = judgeAttempt(attempt({ identity: 'user-0002' }), {});
    expect(result.verdict).toBe('identity-mismatch');
    expect(result.detail).toBe('welcome named user-0002; token named user-0001');
  });

  it('flags an accept without identity', () => {
    const result = judgeAttempt(attempt({ identity: null }), { identityRequired: true });
    expect(result).toEqual({
      verdict: 'identity-mismatch',
      detail: 'accepted without a welcome naming a user; token named user-0001',
    });
    expect(judgeAttempt(attempt({ identity: null }), {}).verdict).toBe('ok');
  });

  it('flags an empty identity', () => {
    expect(judgeAttempt(attempt({ identity: '' }), {}).verdict).toBe('identity-mismatch');
  });

  it('flags a connection open too long', () => {
    const late = attempt({ expected: [ACCEPT_THEN_1001], closedBy: 'server', closeCode: 1001, endedAtMs: 4_012 });
    expect(judgeAttempt(late, { maxOpenMs: 3_500 })).toEqual({
      verdict: 'slow-response',
      detail: 'open for 4000 ms before the close, limit 3500 ms',
    });
    expect(judgeAttempt({ ...late, endedAtMs: 3_000 }, { maxOpenMs: 3_500 }).verdict).toBe('ok');
  });

  it('reports hung when nothing arrived', () => {
    const result = judgeAttempt(attempt({ status: null, responseMs: null, closeCode: null, closedBy: null }), {});
    expect(result.verdict).toBe('hung');
  });

  it('reports a socket error before any response', () => {
    const result = judgeAttempt(attempt({ status: null, error: 'ECONNRESET', closedBy: null }), {});
    expect(result).toEqual({ verdict: 'client-error', detail: 'socket error before any response: ECONNRESET' });
  });

  it('passes either outcome of a shutdown race', () => {
    const expected = [REJECT_503, ACCEPT_THEN_1001];
    expect(judgeAttempt(attempt({ expected, status: 503, closeCode: null }), {}).verdict).toBe('ok');
    expect(judgeAttempt(attempt({ expected, closeCode: 1001, closedBy: 'server' }), {}).verdict).toBe('ok');
  });

  it('reports 1006 as unclean close, not unexpected accept', () => {
    const expected = [REJECT_503, ACCEPT_THEN_1001];
    const result = judgeAttempt(attempt({ expected, closeCode: 1006, closedBy: 'server' }), {});
    expect(result.verdict).toBe('unclean-close');
  });

  it('reports a wrong server close code', () => {
    const result = judgeAttempt(attempt({ expected: [ACCEPT_THEN_1001], closeCode: 1011, closedBy: 'server' }), {});
    expect(result).toEqual({
      verdict: 'wrong-close-code',
      detail: 'closed by server with 1011; expected accept, then close 1001 (shutdown)',
    });
  });

  it('reports a client-side close where the server should close', () => {
    const result = judgeAttempt(attempt({ expected: [ACCEPT_THEN_1001], closeCode: 1000, closedBy: 'client' }), {});
    expect(result.verdict).toBe('wrong-close-code');
  });

  it('flags a response slower than the limit', () => {
    const result = judgeAttempt(attempt({ expected: [REJECT_401], status: 401, responseMs: 2500 }), { maxResponseMs: 2000 });
    expect(result).toEqual({ verdict: 'slow-response', detail: 'response after 2500 ms, limit 2000 ms' });
  });
});
