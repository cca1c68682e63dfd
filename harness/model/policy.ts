/** Rejection classes a target's policy maps to HTTP statuses. */
export const REJECTION_CLASSES = [
  'missing',
  'invalid',
  'expired',
  'forbidden',
  'rateLimited',
  'unavailable',
  'shuttingDown',
  'timedOut',
] as const;
export type RejectionClass = (typeof REJECTION_CLASSES)[number];

/** Server-initiated closes a target's policy maps to WebSocket close codes. */
export const SERVER_CLOSE_CLASSES = ['shutdown', 'tokenExpired', 'internalError'] as const;
export type ServerCloseClass = (typeof SERVER_CLOSE_CLASSES)[number];

/** Expected HTTP status per rejection class and close code per server-side close. */
export interface TargetPolicy {
  statuses: Record<RejectionClass, number>;
  closeCodes: Record<ServerCloseClass, number>;
}

/** WebSocket close codes named once (RFC 6455 section 7.4.1). */
export const CLOSE_CODES = Object.freeze({
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  noStatusReceived: 1005,
  abnormalClosure: 1006,
  policyViolation: 1008,
  internalError: 1011,
});

/**
 * The reference server's policy. 503 covers a verification deadline too: the client talks to the
 * origin server, and 504 is meant for gateways waiting on an upstream.
 */
export const REFERENCE_POLICY: TargetPolicy = Object.freeze({
  statuses: Object.freeze({
    missing: 401,
    invalid: 401,
    expired: 401,
    forbidden: 403,
    rateLimited: 429,
    unavailable: 503,
    shuttingDown: 503,
    timedOut: 503,
  }),
  closeCodes: Object.freeze({
    shutdown: CLOSE_CODES.goingAway,
    tokenExpired: CLOSE_CODES.policyViolation,
    internalError: CLOSE_CODES.internalError,
  }),
});
