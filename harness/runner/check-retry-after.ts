import type { Finding } from '../checks/finding-codes.ts';
import type { AttemptRecord } from '../model/attempt.ts';
import type { TargetPolicy } from '../model/policy.ts';

/**
 * Reports rate-limited rejections without a Retry-After header, because a client cannot know
 * when to retry without one.
 * NOTE: 503 rejections are not checked, because a target policy does not say which statuses carry
 * Retry-After, although the reference server sends it with 503 too.
 */
export function checkRetryAfter(
  attempts: readonly Pick<AttemptRecord, 'id' | 'status' | 'retryAfter'>[],
  policy: TargetPolicy,
): Finding[] {
  const status = policy.statuses.rateLimited;
  const missing = attempts.filter((a) => a.status === status && (a.retryAfter ?? '').trim() === '');
  if (missing.length === 0) return [];
  return [
    {
      code: 'missing-retry-after',
      message: `${missing.length} attempt(s) got ${status} (rateLimited) without a Retry-After header`,
      attemptIds: missing.map((a) => a.id),
    },
  ];
}
