import { STATUS_CODES } from 'node:http';
import type { AttemptRecord } from '../model/attempt.ts';
import { CLOSE_CODES } from '../model/policy.ts';

/** Close code names from RFC 6455 section 7.4.1, plus the IANA registry's 1012 to 1014. */
const CLOSE_CODE_NAMES: Readonly<Record<number, string>> = Object.freeze({
  1000: 'Normal Closure',
  1001: 'Going Away',
  1002: 'Protocol Error',
  1003: 'Unsupported Data',
  1004: 'Reserved',
  1005: 'No Status Received',
  1006: 'Abnormal Closure',
  1007: 'Invalid Frame Payload Data',
  1008: 'Policy Violation',
  1009: 'Message Too Big',
  1010: 'Mandatory Extension',
  1011: 'Internal Error',
  1012: 'Service Restart',
  1013: 'Try Again Later',
  1014: 'Bad Gateway',
  1015: 'TLS Handshake',
});

/**
 * Codes that point at a fault even when a policy allows them: 1005 and 1006 never travel in a
 * close frame, so the peer sent none, and 1011 means the server hit an unexpected condition.
 */
const ALARMING_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.noStatusReceived,
  CLOSE_CODES.abnormalClosure,
  CLOSE_CODES.internalError,
]);

/** Returns the standard name of a close code, or the range it belongs to. */
export function describeCloseCode(code: number): string {
  const name = CLOSE_CODE_NAMES[code];
  if (name !== undefined) return name;
  if (code >= 3000 && code <= 3999) return 'registered (libraries, frameworks)';
  if (code >= 4000 && code <= 4999) return 'private use (application)';
  return 'not defined';
}

/** Returns the reason phrase of an HTTP status from Node's `http.STATUS_CODES`. */
export function describeStatus(status: number): string {
  return STATUS_CODES[status] ?? 'unknown status';
}

export function isAlarmingCloseCode(code: number): boolean {
  return ALARMING_CLOSE_CODES.has(code);
}

/** Attempts per HTTP status, and how many of them had a status their `expected` did not allow. */
export interface StatusCount {
  status: number;
  name: string;
  count: number;
  notAllowed: number;
}

/** Attempts per close code of an opened connection; `code` null is an open with no close seen. */
export interface CloseCodeCount {
  code: number | null;
  name: string;
  count: number;
  byServer: number;
  byClient: number;
  notAllowed: number;
  alarming: boolean;
}

export function countStatuses(attempts: AttemptRecord[]): StatusCount[] {
  const counts = new Map<number, StatusCount>();
  for (const attempt of attempts) {
    if (attempt.status === null) continue;
    const row = counts.get(attempt.status) ?? { status: attempt.status, name: describeStatus(attempt.status), count: 0, notAllowed: 0 };
    row.count += 1;
    if (!isStatusAllowed(attempt, attempt.status)) row.notAllowed += 1;
    counts.set(attempt.status, row);
  }
  return [...counts.values()].sort((a, b) => a.status - b.status);
}

export function countCloseCodes(attempts: AttemptRecord[]): CloseCodeCount[] {
  const counts = new Map<number | null, CloseCodeCount>();
  for (const attempt of attempts) {
    if (attempt.status !== 101) continue;
    const code = attempt.closeCode;
    const row = counts.get(code) ?? {
      code,
      name: code === null ? 'no close seen' : describeCloseCode(code),
      count: 0,
      byServer: 0,
      byClient: 0,
      notAllowed: 0,
      alarming: code !== null && isAlarmingCloseCode(code),
    };
    row.count += 1;
    if (attempt.closedBy === 'server') row.byServer += 1;
    if (attempt.closedBy === 'client') row.byClient += 1;
    if (!isCloseAllowed(attempt, code)) row.notAllowed += 1;
    counts.set(code, row);
  }
  return [...counts.values()].sort((a, b) => (a.code ?? 0) - (b.code ?? 0));
}

function isStatusAllowed(attempt: AttemptRecord, status: number): boolean {
  if (status === 101) return attempt.expected.some((outcome) => outcome.kind === 'accept');
  return attempt.expected.some((outcome) => outcome.kind === 'reject' && outcome.status === status);
}

/** Checks a close against the accept outcomes, where `closeCode` null allows any close. */
function isCloseAllowed(attempt: AttemptRecord, code: number | null): boolean {
  return attempt.expected.some(
    (outcome) => outcome.kind === 'accept' && (outcome.closeCode === null || outcome.closeCode === code),
  );
}
