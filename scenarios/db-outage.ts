import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against an outage that makes upgrades wait for the verification deadline, and against
 * pool clients stuck after it. While the database link is disabled, connects are refused, so
 * 20 upgrades in two waves must get 503 within 1 s, far below the 10 s deadline. Once the link
 * is back, 20 upgrades on a pool of 4 must all be accepted within 2 s, which they cannot be if
 * the outage left a pool slot taken. `pg_stat_activity` must never show more than 4 sessions.
 * database-down-no-admit covers which token classes may pass during an outage.
 */
export default defineScenario({
  name: 'db-outage',
  tags: ['database', 'outage', 'pool'],
  description:
    'Database link disabled: 20 upgrades get 503 within 1 s (deadline 10 s); after it is enabled, 20 upgrades on a pool of 4 are accepted within 2 s.',
  setup: {
    verifyTimeoutMs: 10_000,
    targetEnv: { PG_POOL_MAX: '4' },
  },
  timeline: [
    { atMs: 0, action: 'open', count: 4, tokenClass: 'valid' },
    { atMs: 800, action: 'set-proxy-enabled', enabled: false },
    { atMs: 1_000, action: 'open', count: 10, tokenClass: 'valid', expect: [{ reject: 'unavailable' }], maxResponseMs: 1_000 },
    { atMs: 2_000, action: 'open', count: 10, tokenClass: 'valid', expect: [{ reject: 'unavailable' }], maxResponseMs: 1_000 },
    { atMs: 3_200, action: 'set-proxy-enabled', enabled: true },
    { atMs: 3_400, action: 'open', count: 20, tokenClass: 'valid', maxResponseMs: 2_000 },
  ],
  expect: {
    maxBackends: { count: 4 },
  },
});
