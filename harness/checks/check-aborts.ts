import type { AttemptRecord } from '../model/attempt.ts';
import type { Finding } from './finding-codes.ts';

/**
 * Finds attempts of `abortAfterMs` steps that got a response before their abort. Such a step
 * never had a client leave mid-verification, so a pass would prove nothing about that fault.
 */
export function checkAborts(attempts: readonly AttemptRecord[]): Finding[] {
  const planned = attempts.filter((attempt) => attempt.abortAfterMs !== undefined);
  const answered = planned.filter((attempt) => attempt.aborted !== true && attempt.status !== null);
  if (answered.length === 0) return [];
  const abortAfterMs = [...new Set(answered.map((attempt) => attempt.abortAfterMs))].join(', ');
  return [
    {
      code: 'fault-not-exercised',
      message:
        `${answered.length} of ${planned.length} attempt(s) meant to abort got a response before ` +
        `their abort at ${abortAfterMs} ms, so their clients never left mid-verification`,
      attemptIds: answered.map((attempt) => attempt.id),
    },
  ];
}
