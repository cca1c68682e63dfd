import { defineScenario } from '../harness/model/scenario.ts';

/** Upgrades the limiter admits per user in its window. */
const LIMIT = 5;
/** Upgrades the noisy user sends, and upgrades sent by other users, one each. */
const NOISY_ATTEMPTS = 20;
const OTHER_USERS = 20;

/**
 * Guards against a rate limiter whose rejections spill over to other clients, or that admits
 * more than its limit. One user sends twenty upgrades in 200 ms under a limit of five per 10 s.
 * Twenty other users connect once each at the same time. The noisy user gets exactly five
 * accepted and fifteen 429s with Retry-After, and every other user is accepted.
 */
export default defineScenario({
  name: 'rate-limit-noisy-client',
  tags: ['rate-limit', 'concurrency'],
  description:
    'One user sends twenty upgrades under a limit of five per 10 s while twenty other users connect; exactly five of the noisy user’s are accepted, fifteen get 429, and all others are accepted.',
  setup: {
    targetEnv: { RATE_LIMIT_POINTS: String(LIMIT), RATE_LIMIT_DURATION_S: '10' },
  },
  timeline: [
    {
      atMs: 0,
      action: 'open',
      count: NOISY_ATTEMPTS,
      tokenClass: 'valid',
      firstUser: 1,
      sameUser: true,
      spreadMs: 200,
      expect: [{ accept: true }, { reject: 'rateLimited' }],
    },
    { atMs: 0, action: 'open', count: OTHER_USERS, tokenClass: 'valid', firstUser: 2, spreadMs: 200 },
  ],
  expect: { outcomeCounts: { accept: LIMIT + OTHER_USERS, 'reject:rateLimited': NOISY_ATTEMPTS - LIMIT } },
});
