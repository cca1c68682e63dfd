import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against a rate limiter that miscounts while permission lookups are slow: thirty
 * upgrades for one user arrive within 100 ms, each lookup waits 1 s. Exactly the limit of five
 * must be accepted and the other twenty-five rejected with 429 and a Retry-After header, with no
 * unhandled rejection from the limiter.
 */
export default defineScenario({
  name: 'rate-limit-slow-lookup',
  tags: ['rate-limit', 'database', 'latency'],
  description:
    'Thirty upgrades for one user within 100 ms under a limit of five per 10 s and 1 s lookups; exactly five are accepted, 25 get 429 with Retry-After.',
  setup: {
    targetEnv: { RATE_LIMIT_POINTS: '5', RATE_LIMIT_DURATION_S: '10' },
    toxics: [{ name: 'slow-db', type: 'latency', stream: 'downstream', attributes: { latency: 1_000, jitter: 0 } }],
  },
  timeline: [
    {
      atMs: 0,
      action: 'open',
      count: 30,
      tokenClass: 'valid',
      firstUser: 1,
      sameUser: true,
      spreadMs: 100,
      expect: [{ accept: true }, { reject: 'rateLimited' }],
    },
  ],
  expect: { outcomeCounts: { accept: 5, 'reject:rateLimited': 25 } },
});
