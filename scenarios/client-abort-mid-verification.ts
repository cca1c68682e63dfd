import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against a server that loses track of a verification when its client leaves: a pool
 * client never released on the abort path, an unhandled rejection when the answer goes to a
 * closed socket, or a socket kept open. Ten clients destroy their sockets 500 ms after their
 * upgrade requests, while their permission lookups wait behind 2 s of database latency. Once the
 * latency is gone, five new upgrades must be accepted within 2 s, and after the scenario the
 * target's database sessions and active handles must return to their baseline (the leak check).
 * The pool is warmed first with ten overlapping lookups, so the latency hits queries, not connects.
 */
export default defineScenario({
  name: 'client-abort-mid-verification',
  tags: ['database', 'latency', 'abort', 'leak'],
  description:
    'Ten clients leave 500 ms into verifications that wait 2 s for the database; five later upgrades are accepted within 2 s and the pool returns to its baseline.',
  setup: {
    // Warm pool connections must outlive the gap before the fault, so they stay open 1 s.
    targetEnv: { PG_IDLE_TIMEOUT_MS: '1000' },
    toxics: [{ name: 'warm-up', type: 'latency', stream: 'downstream', attributes: { latency: 100, jitter: 0 } }],
  },
  timeline: [
    { atMs: 0, action: 'open', count: 10, tokenClass: 'valid' },
    { atMs: 900, action: 'remove-toxic', name: 'warm-up' },
    {
      atMs: 1_000,
      action: 'add-toxic',
      toxic: { name: 'slow-db', type: 'latency', stream: 'downstream', attributes: { latency: 2_000, jitter: 0 } },
    },
    { atMs: 1_100, action: 'open', count: 10, tokenClass: 'valid', abortAfterMs: 500 },
    { atMs: 3_800, action: 'remove-toxic', name: 'slow-db' },
    { atMs: 4_300, action: 'open', count: 5, tokenClass: 'valid', maxResponseMs: 2_000 },
  ],
  expect: { attemptTimeoutMs: 5_000 },
});
