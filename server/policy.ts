import { STATUS_CODES } from 'node:http';

/** Rejection class of an upgrade. Each class maps to exactly one HTTP status below. */
export type RejectionClass =
  | 'missing'
  | 'invalid'
  | 'expired'
  | 'forbidden'
  | 'rateLimited'
  | 'unavailable'
  | 'shuttingDown'
  | 'timedOut';

/** Class of a server-initiated close. Each class maps to one close code below. */
export type ServerCloseClass = 'shutdown' | 'tokenExpired' | 'internalError';

/** HTTP status and, for 429 and 503, the `Retry-After` value sent with it. */
export interface RejectionRule {
  readonly status: number;
  /** Seconds for `Retry-After`; null when the status carries none or the value is computed. */
  readonly retryAfterS: number | null;
}

/** Close code and the reason text sent in the close frame. */
export interface CloseRule {
  readonly code: number;
  readonly reason: string;
}

/**
 * The reference server's policy, the single source for every upgrade status and close code.
 * `rateLimited` gets its `Retry-After` from the rate limiter (seconds until a point frees up).
 *
 * `timedOut` is 503, not 504: the client talks to this origin server, and 504 means a gateway
 * gave up waiting on an upstream (RFC 9110 section 15.6.5). The server itself is briefly unable
 * to decide, which is what 503 with `Retry-After` means (RFC 9110 section 15.6.4).
 */
export const REJECTION_POLICY: Readonly<Record<RejectionClass, RejectionRule>> = Object.freeze({
  missing: Object.freeze({ status: 401, retryAfterS: null }),
  invalid: Object.freeze({ status: 401, retryAfterS: null }),
  expired: Object.freeze({ status: 401, retryAfterS: null }),
  forbidden: Object.freeze({ status: 403, retryAfterS: null }),
  rateLimited: Object.freeze({ status: 429, retryAfterS: null }),
  unavailable: Object.freeze({ status: 503, retryAfterS: 5 }),
  shuttingDown: Object.freeze({ status: 503, retryAfterS: 5 }),
  timedOut: Object.freeze({ status: 503, retryAfterS: 5 }),
});

/** Close codes from RFC 6455 section 7.4.1. */
export const CLOSE_POLICY: Readonly<Record<ServerCloseClass, CloseRule>> = Object.freeze({
  shutdown: Object.freeze({ code: 1001, reason: 'server shutting down' }),
  tokenExpired: Object.freeze({ code: 1008, reason: 'token expired' }),
  internalError: Object.freeze({ code: 1011, reason: 'internal error' }),
});

/**
 * The same policy in the shape a harness target config uses: status per rejection class and
 * close code per server-side close.
 */
export const SERVER_POLICY = Object.freeze({
  statuses: Object.freeze(
    Object.fromEntries(
      Object.entries(REJECTION_POLICY).map(([name, rule]) => [name, rule.status]),
    ) as Record<RejectionClass, number>,
  ),
  closeCodes: Object.freeze(
    Object.fromEntries(
      Object.entries(CLOSE_POLICY).map(([name, rule]) => [name, rule.code]),
    ) as Record<ServerCloseClass, number>,
  ),
});

/** Returns the reason phrase for `status`, used as the status line text and response body. */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown';
}
