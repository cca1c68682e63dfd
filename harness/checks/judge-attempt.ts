import type { AttemptRecord, ResolvedOutcome, Verdict } from '../model/attempt.ts';
import { CLOSE_CODES } from '../model/policy.ts';

export interface JudgeLimits {
  maxResponseMs?: number;
  /** Longest time an accepted connection may stay open, in ms. */
  maxOpenMs?: number;
  /** The target sends an identity message, so an accepted attempt without one has no identity. */
  identityRequired?: boolean;
}

/** Gives one attempt its verdict against any of its expected outcomes. */
export function judgeAttempt(
  attempt: Omit<AttemptRecord, 'verdict' | 'detail'>,
  limits: JudgeLimits,
): { verdict: Verdict; detail: string | null } {
  if (attempt.status === null) {
    // The client left on purpose before any response, so there was nothing to judge.
    if (attempt.aborted === true && attempt.error === null) return { verdict: 'ok', detail: null };
    if (attempt.error === null) {
      return { verdict: 'hung', detail: 'no response or open before the attempt timeout' };
    }
    return { verdict: 'client-error', detail: `socket error before any response: ${attempt.error}` };
  }

  const results = attempt.expected.map((outcome) => ({ outcome, ...compare(attempt, outcome, limits) }));
  const match = results.find((result) => result.verdict === 'ok');
  if (match === undefined) return pickClosest(results, attempt.status === 101);

  const maxMs = limits.maxResponseMs;
  if (maxMs !== undefined && attempt.responseMs !== null && attempt.responseMs > maxMs) {
    return {
      verdict: 'slow-response',
      detail: `response after ${Math.round(attempt.responseMs)} ms, limit ${maxMs} ms`,
    };
  }
  const openMs = openDurationMs(attempt);
  if (limits.maxOpenMs !== undefined && openMs !== null && openMs > limits.maxOpenMs) {
    return { verdict: 'slow-response', detail: `open for ${Math.round(openMs)} ms before the close, limit ${limits.maxOpenMs} ms` };
  }
  return { verdict: 'ok', detail: null };
}

/** Time from open to close of an accepted attempt, in ms; null when it never opened or closed. */
function openDurationMs(attempt: Omit<AttemptRecord, 'verdict' | 'detail'>): number | null {
  if (attempt.status !== 101 || attempt.endedAtMs === null || attempt.responseMs === null) return null;
  return attempt.endedAtMs - attempt.startedAtMs - attempt.responseMs;
}

function compare(
  attempt: Omit<AttemptRecord, 'verdict' | 'detail'>,
  outcome: ResolvedOutcome,
  limits: JudgeLimits,
): { verdict: Verdict; detail: string | null } {
  const expected = outcome.label;
  if (outcome.kind === 'reject') {
    if (attempt.status === 101) {
      return { verdict: 'unexpected-accept', detail: `accepted; expected ${expected}` };
    }
    if (attempt.status !== outcome.status) {
      return { verdict: 'wrong-status', detail: `status ${attempt.status}; expected ${expected}` };
    }
    return { verdict: 'ok', detail: null };
  }

  if (attempt.status !== 101) {
    return { verdict: 'wrong-status', detail: `status ${attempt.status}; expected ${expected}` };
  }
  if (attempt.userId !== null && attempt.identity !== null && attempt.identity !== attempt.userId) {
    return {
      verdict: 'identity-mismatch',
      detail: `welcome named ${attempt.identity}; token named ${attempt.userId}`,
    };
  }
  // An empty or default identity must not pass as "no identity message configured".
  if (limits.identityRequired === true && attempt.userId !== null && attempt.identity === null) {
    return { verdict: 'identity-mismatch', detail: `accepted without a welcome naming a user; token named ${attempt.userId}` };
  }
  if (outcome.closeCode === null) return { verdict: 'ok', detail: null };
  if (attempt.closedBy !== 'server' && attempt.closeCode === CLOSE_CODES.abnormalClosure) {
    return { verdict: 'unclean-close', detail: `1006 without a close frame; expected ${expected}` };
  }
  if (attempt.closedBy !== 'server' || attempt.closeCode !== outcome.closeCode) {
    const by = attempt.closedBy ?? 'nobody';
    return {
      verdict: attempt.closeCode === CLOSE_CODES.abnormalClosure ? 'unclean-close' : 'wrong-close-code',
      detail: `closed by ${by} with ${attempt.closeCode}; expected ${expected}`,
    };
  }
  return { verdict: 'ok', detail: null };
}

/**
 * Picks the failure to report: one from an outcome of the kind observed (accept when the upgrade
 * opened, reject otherwise), because it describes the failure best.
 */
function pickClosest(
  results: { outcome: ResolvedOutcome; verdict: Verdict; detail: string | null }[],
  opened: boolean,
): { verdict: Verdict; detail: string | null } {
  const sameKind = results.find((result) => (result.outcome.kind === 'accept') === opened);
  const chosen = sameKind ?? results[0];
  if (chosen === undefined) return { verdict: 'wrong-status', detail: 'no expected outcome' };
  return { verdict: chosen.verdict, detail: chosen.detail };
}
