import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitUntilReadyOptions {
  /** URL that answers 200 once the target accepts upgrades. */
  url: string;
  /** Time allowed for the whole wait, in ms. */
  timeoutMs: number;
  /** Settles when the target process exits, which ends the wait. */
  exited: Promise<unknown>;
  /** Pause between polls, in ms. */
  intervalMs?: number;
}

export type ReadyOutcome =
  | { kind: 'ready'; waitedMs: number }
  | { kind: 'exited' }
  | { kind: 'timed-out'; lastAttempt: string };

/** Bound on one poll, in ms, so a target that accepts but never answers cannot stall the wait. */
const MAX_REQUEST_MS = 2_000;

const NO_ATTEMPT = 'no attempt finished';

/** Polls `GET url` until it answers 200, the process exits or `timeoutMs` passes. */
export async function waitUntilReady(options: WaitUntilReadyOptions): Promise<ReadyOutcome> {
  const intervalMs = options.intervalMs ?? 100;
  const startedAt = performance.now();
  const deadline = startedAt + options.timeoutMs;
  let exited = false;
  void options.exited.then(() => {
    exited = true;
  });
  const exitedSignal = options.exited.then(() => 'exited' as const);

  let lastAttempt = NO_ATTEMPT;
  while (performance.now() < deadline) {
    const requestMs = Math.max(1, Math.min(MAX_REQUEST_MS, deadline - performance.now()));
    const result = await Promise.race([getStatus(options.url, requestMs), exitedSignal]);
    if (result === 'exited' || exited) return { kind: 'exited' };
    if (result.text === 'status 200') return { kind: 'ready', waitedMs: Math.round(performance.now() - startedAt) };
    // A poll cut short by the deadline says less than the answer before it.
    if (!result.timedOut || requestMs === MAX_REQUEST_MS || lastAttempt === NO_ATTEMPT) lastAttempt = result.text;

    const pauseMs = Math.max(0, Math.min(intervalMs, deadline - performance.now()));
    await Promise.race([sleep(pauseMs), exitedSignal]);
  }
  return exited ? { kind: 'exited' } : { kind: 'timed-out', lastAttempt };
}

/** Returns "status <code>" or the connection error, and whether the request timed out; never throws. */
function getStatus(url: string, timeoutMs: number): Promise<{ text: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    // A fresh connection per poll, closed after the answer, so no idle socket keeps the
    // target's server open once it is asked to shut down.
    const request = http.get(url, { agent: false, headers: { connection: 'close' } }, (response) => {
      response.resume();
      resolve({ text: `status ${response.statusCode}`, timedOut: false });
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    request.once('error', (err) => resolve({ text: err.message === '' ? String(err) : err.message, timedOut }));
    request.once('close', () => clearTimeout(timer));
  });
}
