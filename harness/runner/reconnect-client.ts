import { setTimeout as sleep } from 'node:timers/promises';
import type { AttemptRecord } from '../model/attempt.ts';
import type { ReconnectPolicy } from '../model/scenario.ts';

/** Socket errors that mean nothing listened or the listener went away: worth another try. */
const RETRYABLE_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

/** Status of a rejection worth another try: 503 (shutting down, unavailable). */
const RETRYABLE_STATUS = 503;

/** Start and end of a target restart, in ms from the scenario start; `endMs` null while it runs. */
export interface RestartWindow {
  startMs: number;
  endMs: number | null;
}

export interface ReconnectingClientOptions {
  policy: ReconnectPolicy;
  /** 0-based index of the client in its step; varies the backoff between clients. */
  clientIndex: number;
  /** Runs try `tryNumber` (1-based) and returns its judged record. */
  runTry(tryNumber: number): Promise<AttemptRecord>;
  /** Restarts so far, for excusing a refused connection while the target was down. */
  restartWindows(): readonly RestartWindow[];
}

/** The tries of one client, and why it stopped without a session of its own choosing, if so. */
export interface ReconnectingClientOutcome {
  tries: AttemptRecord[];
  /** One sentence when the client ran out of tries or budget; null otherwise. */
  unmet: string | null;
}

/**
 * Runs one reconnecting client (see ReconnectPolicy). It stops when a try opens and the client
 * closes it, when a try ends in a way no retry fixes, or when the tries or the time budget run
 * out. Each try gets `reconnect` set. A refused or reset connection that started during a
 * target restart gets verdict `ok`, because nothing listened then.
 */
export async function runReconnectingClient(options: ReconnectingClientOptions): Promise<ReconnectingClientOutcome> {
  const { policy } = options;
  const startedAt = performance.now();
  const tries: AttemptRecord[] = [];
  let failedTries = 0;

  for (let tryNumber = 1; tryNumber <= policy.maxTries; tryNumber += 1) {
    const record = await options.runTry(tryNumber);
    record.reconnect = { client: options.clientIndex + 1, tryNumber };
    excuseRestartGap(record, options.restartWindows());
    tries.push(record);

    const next = decideNext(record);
    if (next === 'done') return { tries, unmet: null };
    if (next === 'give-up') return { tries, unmet: null };

    failedTries += 1;
    const delayMs = backoffMs(policy, failedTries, options.clientIndex);
    if (performance.now() + delayMs - startedAt > policy.budgetMs) {
      const reason = `the next try would start after its ${policy.budgetMs} ms budget`;
      return { tries, unmet: describeUnmet(options.clientIndex, tries, reason) };
    }
    await sleep(delayMs);
  }
  return { tries, unmet: describeUnmet(options.clientIndex, tries, `all ${policy.maxTries} tries used`) };
}

/**
 * `done`: the client closed its own session. `retry`: the server closed the session, responded
 * with 503, or the connection was refused or reset. `give-up`: anything else (another status, a
 * hang), which the try's verdict already reports.
 */
function decideNext(record: AttemptRecord): 'done' | 'retry' | 'give-up' {
  if (record.status === 101) return record.closedBy === 'client' ? 'done' : 'retry';
  if (record.status === RETRYABLE_STATUS) return 'retry';
  if (record.status === null && record.error !== null && RETRYABLE_ERRORS.has(record.error)) return 'retry';
  return 'give-up';
}

/**
 * Backoff before the next try, in ms: `baseDelayMs * 2^(failedTries - 1)` capped at
 * `maxDelayMs`, times a factor from 0.5 to 1 spread over the clients so they do not return in
 * lockstep. The factor comes from the client index, so a run repeats the same delays.
 */
export function backoffMs(policy: ReconnectPolicy, failedTries: number, clientIndex: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedTries - 1));
  // 37 is prime to 100, so consecutive clients land on well spread factors.
  const spread = 0.5 + ((clientIndex * 37) % 100) / 200;
  return Math.round(exponential * spread);
}

function excuseRestartGap(record: AttemptRecord, windows: readonly RestartWindow[]): void {
  if (record.verdict !== 'client-error' || record.error === null || !RETRYABLE_ERRORS.has(record.error)) return;
  const during = windows.some(
    (window) => record.startedAtMs >= window.startMs && (window.endMs === null || record.startedAtMs <= window.endMs),
  );
  if (!during) return;
  record.verdict = 'ok';
  record.detail = null;
}

function describeUnmet(clientIndex: number, tries: readonly AttemptRecord[], reason: string): string {
  const last = tries.at(-1);
  const lastOutcome = last === undefined ? 'none' : (last.error ?? `status ${last.status}`);
  return `reconnecting client ${clientIndex + 1} got no session of its own in ${tries.length} tries (${reason}); last try: ${lastOutcome}`;
}
