import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against a connection reset during a permission lookup turning into a crash, a hang,
 * a 500 or a dead pool. A `reset_peer` toxic on the downstream direction drops the result of
 * each query the server sends on a warm pool client and resets that connection 500 ms later. The 10 lookups
 * it catches must each get 503. Afterwards, with the toxic removed, 20 upgrades on a pool of
 * 10 must be accepted, so the pool replaced every reset client.
 */
export default defineScenario({
  name: 'db-reset-mid-query',
  tags: ['database', 'reset', 'pool'],
  description:
    'Connections to Postgres reset while 10 lookups are in flight: each gets 503, the server keeps serving, and 20 later upgrades are accepted.',
  setup: {
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
      toxic: { name: 'reset-mid-query', type: 'reset_peer', stream: 'downstream', attributes: { timeout: 500 } },
    },
    {
      atMs: 1_200,
      action: 'open',
      count: 10,
      tokenClass: 'valid',
      expect: [{ reject: 'unavailable' }],
      minResponseMs: 450,
      maxResponseMs: 2_500,
    },
    { atMs: 2_500, action: 'remove-toxic', name: 'reset-mid-query' },
    { atMs: 2_700, action: 'open', count: 20, tokenClass: 'valid', maxResponseMs: 2_000 },
  ],
  expect: {
    maxBackends: { count: 10 },
  },
});
