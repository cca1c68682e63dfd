import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against verification that gives up or fails when the database is slow but healthy.
 * The latency toxic delays the downstream direction (Postgres to server), so every query
 * result arrives 5 s late. The pool is warmed first, so the toxic hits queries, not connects.
 * A short latency during the warm-up keeps its four lookups overlapping, so the pool opens four
 * connections; a connect behind the 5 s toxic would time out and get 503.
 */
export default defineScenario({
  name: 'slow-db',
  tags: ['seed', 'database', 'latency'],
  description:
    'A 5 s latency toxic on the database link delays every permission lookup; upgrades must wait and then be accepted.',
  setup: {
    toxics: [{ name: 'warm-up', type: 'latency', stream: 'downstream', attributes: { latency: 100, jitter: 0 } }],
  },
  timeline: [
    { atMs: 0, action: 'open', count: 4, tokenClass: 'valid' },
    { atMs: 1_400, action: 'remove-toxic', name: 'warm-up' },
    {
      atMs: 1_500,
      action: 'add-toxic',
      toxic: { name: 'slow-db', type: 'latency', stream: 'downstream', attributes: { latency: 5_000, jitter: 0 } },
    },
    { atMs: 1_600, action: 'open', count: 4, tokenClass: 'valid', minResponseMs: 5_000, maxResponseMs: 15_000 },
  ],
});
