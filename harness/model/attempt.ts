import type { TokenClass } from './scenario.ts';

/** Per-attempt verdicts, in the style of Autobahn|Testsuite's per-case results. */
export const VERDICTS = [
  'ok',
  'wrong-status',
  'wrong-close-code',
  'unclean-close',
  'unexpected-accept',
  'hung',
  'identity-mismatch',
  'slow-response',
  'client-error',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** An expected outcome resolved through the policy to concrete numbers. */
export type ResolvedOutcome =
  | { kind: 'accept'; closeCode: number | null; label: string }
  | { kind: 'reject'; status: number; label: string };

/** Everything observed about one connection attempt. Times are ms from the scenario start. */
export interface AttemptRecord {
  id: string;
  tokenClass: TokenClass;
  /** The user the token names, if any. */
  userId: string | null;
  expected: ResolvedOutcome[];
  startedAtMs: number;
  /** HTTP status of a rejected upgrade, or 101 when it opened. */
  status: number | null;
  retryAfter: string | null;
  /** Time from request to response or open, in ms. */
  responseMs: number | null;
  closeCode: number | null;
  closeReason: string | null;
  closedBy: 'client' | 'server' | null;
  /** User id from the identity message, if the target sends one. */
  identity: string | null;
  /** Error code or message the client saw (ECONNRESET, timeout, ...). */
  error: string | null;
  endedAtMs: number | null;
  verdict: Verdict;
  /** Why the verdict is not `ok`, in one sentence. */
  detail: string | null;
  /** The step's `abortAfterMs`: the client was to destroy its socket this long after the request. */
  abortAfterMs?: number;
  /** With `abortAfterMs`: true when the client aborted before any response, as planned. */
  aborted?: boolean;
  /**
   * Durations in ms from the response's `Server-Timing` header, by metric name (for the
   * reference server `token`, `limit` and `lookup`); absent when the target sent none.
   */
  phases?: Record<string, number>;
  /** Only on tries of a reconnecting client: its number in the step and the try's, from 1. */
  reconnect?: { client: number; tryNumber: number };
}
