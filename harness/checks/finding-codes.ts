/**
 * Every finding code, what it proves and its typical cause. Findings are data in a report, not
 * exceptions; a run passes when no scenario has one. docs/findings.md mirrors this table and a
 * test keeps the two equal.
 */
export const FINDING_CODES = {
  'unhandled-rejection': {
    proves: 'A promise in the target rejected with no handler attached.',
    cause: 'An async verifyClient, or a floating promise in the upgrade path.',
  },
  'uncaught-exception': {
    proves: 'An exception escaped to the target’s event loop.',
    cause: 'A throw in an event handler, such as an idle pg client error with no listener.',
  },
  crash: {
    proves: 'The target exited while nobody asked it to.',
    cause: 'An unhandled rejection or uncaught exception under the default crash mode.',
  },
  'hung-upgrade': {
    proves: 'An upgrade got neither a response nor an open before the attempt timeout.',
    cause: 'A verification callback never called, or no verification deadline.',
  },
  'wrong-status': {
    proves: 'A rejected upgrade got an HTTP status the policy does not give its class.',
    cause: 'A 500 where 401/403/429/503 belong, or the wrong class chosen.',
  },
  'unexpected-accept': {
    proves: 'An upgrade the policy rejects was accepted.',
    cause: 'An error path that falls through to accept, or a missing check.',
  },
  'wrong-close-code': {
    proves: 'A server-side close used a code the policy does not give that close.',
    cause: 'A hard-coded close code, or a close without a code (1005).',
  },
  'abnormal-closure': {
    proves: 'A connection ended with 1006 (no close frame) where the policy wanted one.',
    cause: 'Sockets destroyed at shutdown instead of closed.',
  },
  'identity-mismatch': {
    proves: 'An accepted connection named a user other than its token’s.',
    cause: 'User context kept in shared mutable state across concurrent upgrades.',
  },
  'slow-reject': {
    proves: 'An attempt got its outcome later than the scenario allows.',
    cause: 'A verification deadline that is missing or longer than configured.',
  },
  'client-error': {
    proves: 'An attempt ended with a socket error instead of a response.',
    cause: 'A reset or a response that is not valid HTTP.',
  },
  'exit-code': {
    proves: 'The target exited with another code than the scenario expects after its signal.',
    cause: 'A shutdown that fails, or a process.exit with the wrong code.',
  },
  'slow-shutdown': {
    proves: 'The target did not exit within its grace period after the shutdown signal.',
    cause: 'Handles left open: a pool not ended, sockets not closed, timers not cleared.',
  },
  'fault-not-exercised': {
    proves: 'The scenario’s fault never touched traffic, so passing would prove nothing.',
    cause: 'A toxic on an idle link, or attempts answered before the fault.',
  },
  'no-samples': {
    proves: 'A gated count had no samples, so the gate cannot pass.',
    cause: 'A timeline that opened no attempt of the gated kind, or gated attempts that all went without a response.',
  },
  'condition-not-met': {
    proves: 'A timeline step waited for a condition that never came true.',
    cause: 'Attempts answered faster than the fault was meant to hold them.',
  },
  'outcome-count': {
    proves: 'The number of attempts with one outcome differs from the scenario’s exact count.',
    cause: 'A limiter that admits more or fewer than its limit, or a race in its bookkeeping.',
  },
  'missing-retry-after': {
    proves: 'A rate-limited rejection came without a Retry-After header.',
    cause: 'A 429 written by hand instead of from the limiter’s result.',
  },
  leak: {
    proves: 'Database sessions or active handles of the target stayed above their ready baseline after the scenario settled.',
    cause: 'A pool client not released on an error or abort path, or sockets and timers never closed.',
  },
  'handle-limit': {
    proves: 'More active resources of one type stayed open in the target than the scenario allows.',
    cause: 'Sockets of abandoned upgrades never destroyed, or timers and clients never released.',
  },
  'backend-limit': {
    proves: 'The target held more database sessions at once than the scenario allows.',
    cause: 'Connections the pool gave up on (connect timeout) left open, or a pool without a maximum.',
  },
  'target-failed': {
    proves: 'The target could not be started or stopped for this scenario.',
    cause: 'A start command that fails, or a ready path that never answers 200.',
  },
} as const satisfies Record<string, { proves: string; cause: string }>;

export type FindingCode = keyof typeof FINDING_CODES;

/** One failed check, with the evidence a reader needs. */
export interface Finding {
  code: FindingCode;
  message: string;
  /** Ids of the attempts this finding is about. */
  attemptIds?: string[];
  /** Stack traces or log lines that show the cause. */
  evidence?: string[];
}
