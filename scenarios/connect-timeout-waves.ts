import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against a pool that piles up database sessions when connects time out. With a pool of
 * 4, a 1 s connect timeout and 600 ms of latency in each direction, no connect can finish in
 * time. The harness first terminates the session the target opened for its readiness check,
 * so no connected client is left. 20 upgrades in 4 waves of 5 must each get 503 shortly after
 * the connect timeout. Once
 * the latency is gone, 20 more must all be accepted. `pg_stat_activity`, sampled every 100 ms
 * past the proxy, must never show more than 4 sessions of the target.
 */
export default defineScenario({
  name: 'connect-timeout-waves',
  tags: ['database', 'pool', 'latency', 'deadline'],
  description:
    'Pool of 4 with a 1 s connect timeout behind 600 ms latency each way: 4 waves of 5 upgrades get 503 within 2.5 s; afterwards 20 are accepted; never more than 4 sessions.',
  setup: {
    targetEnv: { PG_POOL_MAX: '4', PG_CONNECT_TIMEOUT_MS: '1000' },
  },
  timeline: [
    { atMs: 0, action: 'terminate-backends' },
    {
      atMs: 300,
      action: 'add-toxic',
      toxic: { name: 'slow-up', type: 'latency', stream: 'upstream', attributes: { latency: 600, jitter: 0 } },
    },
    {
      atMs: 300,
      action: 'add-toxic',
      toxic: { name: 'slow-down', type: 'latency', stream: 'downstream', attributes: { latency: 600, jitter: 0 } },
    },
    ...[400, 1_400, 2_400, 3_400].map((atMs) => ({
      atMs,
      action: 'open' as const,
      count: 5,
      tokenClass: 'valid' as const,
      expect: [{ reject: 'unavailable' as const }],
      minResponseMs: 900,
      maxResponseMs: 2_500,
    })),
    { atMs: 4_400, action: 'remove-toxic', name: 'slow-up' },
    { atMs: 4_400, action: 'remove-toxic', name: 'slow-down' },
    { atMs: 6_400, action: 'open', count: 20, tokenClass: 'valid', maxResponseMs: 2_000 },
  ],
  expect: {
    maxBackends: { count: 4, intervalMs: 100 },
  },
});
