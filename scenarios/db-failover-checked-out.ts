import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against a database failover that hits pool clients while they are checked out. The
 * harness terminates every session of the target with `pg_terminate_backend`, over its own
 * admin connection past the proxy, while 40 upgrades keep the pool's 10 clients busy. The
 * latency is on the upstream direction, so each query is still on its way to Postgres. Each
 * interrupted verification must end with 503 (database unavailable, or the 3 s deadline for
 * those still waiting for a client) and never with an accept. The process must survive the
 * terminated clients' errors. Once the latency is gone, 10 new upgrades must be accepted
 * within 2 s. The warm-up opens the 10 clients before the latency.
 */
export default defineScenario({
  name: 'db-failover-checked-out',
  tags: ['database', 'failover', 'latency'],
  description:
    'Backends terminated while 40 upgrades keep every pool client busy; each gets 503 within the 3 s deadline, none is accepted, then 10 are accepted within 2 s.',
  setup: {
    verifyTimeoutMs: 3_000,
    // Warm pool connections must outlive the gap before the fault, so they stay open 1 s.
    targetEnv: { PG_POOL_MAX: '10', PG_IDLE_TIMEOUT_MS: '1000' },
    toxics: [{ name: 'warm-up', type: 'latency', stream: 'downstream', attributes: { latency: 100, jitter: 0 } }],
  },
  timeline: [
    { atMs: 0, action: 'open', count: 10, tokenClass: 'valid' },
    { atMs: 1_000, action: 'remove-toxic', name: 'warm-up' },
    {
      atMs: 1_100,
      action: 'add-toxic',
      toxic: { name: 'slow-db', type: 'latency', stream: 'upstream', attributes: { latency: 1_500, jitter: 0 } },
    },
    {
      atMs: 1_200,
      action: 'open',
      count: 40,
      tokenClass: 'valid',
      expect: [{ reject: 'unavailable' }, { reject: 'timedOut' }],
      minResponseMs: 600,
      maxResponseMs: 4_000,
    },
    { atMs: 1_900, action: 'terminate-backends' },
    { atMs: 4_600, action: 'remove-toxic', name: 'slow-db' },
    { atMs: 5_000, action: 'open', count: 10, tokenClass: 'valid', maxResponseMs: 2_000 },
  ],
});
