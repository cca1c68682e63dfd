import { defineScenario, type TimelineStep } from '../harness/model/scenario.ts';

/**
 * Guards against verification that gives up or fails when the database is slow but healthy.
 * The latency toxic delays the downstream direction (Postgres to server), so every query
 * result arrives 5 s late. The pool is warmed first, so the toxic hits queries, not connects.
 * A short latency during the warm-up keeps its four lookups overlapping, so the pool opens four
 * connections. A connect behind the 5 s toxic would time out and get 503.
 */
export default defineScenario({
  name: 'slow-db',
  tags: ['seed', 'database', 'latency'],
  description:
    'A 5 s latency toxic on the database link delays every permission lookup; upgrades must wait and then be accepted.',
  setup: {
    // Warm pool connections must outlive the gap before the fault, so they stay open 1 s.
    targetEnv: { PG_IDLE_TIMEOUT_MS: '1000' },
    toxics: [{ name: 'warm-up', type: 'latency', stream: 'downstream', attributes: { latency: 100, jitter: 0 } }],
  },
  timeline: slowLookups(4, 5_000),
  profiles: {
    // Ten lookups fill the reference server's default pool of 10 without a connect behind the
    // toxic; 10 s of latency stays below its 30 s verification deadline.
    full: {
      description:
        'A 10 s latency toxic on the database link delays every permission lookup; 10 upgrades must wait and then be accepted.',
      timeline: slowLookups(10, 10_000),
      expect: { attemptTimeoutMs: 40_000 },
    },
  },
});

/** Warms `count` pool connections, then opens `count` upgrades behind `latencyMs` of latency. */
function slowLookups(count: number, latencyMs: number): TimelineStep[] {
  return [
    { atMs: 0, action: 'open', count, tokenClass: 'valid' },
    { atMs: 800, action: 'remove-toxic', name: 'warm-up' },
    {
      atMs: 850,
      action: 'add-toxic',
      toxic: { name: 'slow-db', type: 'latency', stream: 'downstream', attributes: { latency: latencyMs, jitter: 0 } },
    },
    { atMs: 900, action: 'open', count, tokenClass: 'valid', minResponseMs: latencyMs, maxResponseMs: 3 * latencyMs },
  ];
}
