import type { OpenStep } from '../model/scenario.ts';

/**
 * Picks the valid user number of each attempt of an open step, wrapping within
 * `1..validUserCount`, and the number the next step starts from. Attempts use consecutive users,
 * or all the first one with `sameUser`.
 */
export function pickUserNumbers(
  step: Pick<OpenStep, 'count' | 'firstUser' | 'sameUser'>,
  nextUser: number,
  validUserCount: number,
): { userNumbers: number[]; nextUser: number } {
  const first = step.firstUser ?? nextUser;
  const sameUser = step.sameUser === true;
  const userNumbers = Array.from({ length: step.count }, (_, i) => ((first - 1 + (sameUser ? 0 : i)) % validUserCount) + 1);
  return { userNumbers, nextUser: first + (sameUser ? 1 : step.count) };
}
