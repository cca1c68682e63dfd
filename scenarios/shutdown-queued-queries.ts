import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against a shutdown that ends the database pool under queued queries: with two pool
 * connections and 3 s of latency, two lookups run and eight wait for a connection when SIGTERM
 * arrives. Every attempt must get an answer before the process exits (503, or accepted and then
 * closed with 1001), never a bare reset or a 500 from a "pool has ended" error, and the process
 * must exit 0 within its grace period.
 */
export default defineScenario({
  name: 'shutdown-queued-queries',
  tags: ['shutdown', 'database', 'latency'],
  description:
    'SIGTERM while two lookups run and eight wait for one of two pool connections; each attempt gets 503 or 1001 and the process exits 0 in time.',
  setup: {
    shutdownGraceMs: 5_000,
    // Warm pool connections must outlive the gap before the fault, so they stay open 1 s.
    targetEnv: { PG_POOL_MAX: '2', PG_IDLE_TIMEOUT_MS: '1000' },
    // Keeps the two warm-up lookups overlapping, so both pool connections open before the
    // 3 s latency, which then hits queries, not connects.
    toxics: [{ name: 'warm-up', type: 'latency', stream: 'downstream', attributes: { latency: 100, jitter: 0 } }],
  },
  timeline: [
    { atMs: 0, action: 'open', count: 2, tokenClass: 'valid' },
    { atMs: 700, action: 'remove-toxic', name: 'warm-up' },
    {
      atMs: 800,
      action: 'add-toxic',
      toxic: { name: 'slow-db', type: 'latency', stream: 'downstream', attributes: { latency: 3_000, jitter: 0 } },
    },
    {
      atMs: 900,
      action: 'open',
      count: 10,
      tokenClass: 'valid',
      holdMs: null,
      expect: [{ reject: 'shuttingDown' }, { accept: true, closeClass: 'shutdown' }],
    },
    { atMs: 1_900, whenPending: 10, action: 'signal', signal: 'SIGTERM' },
  ],
  expect: { targetExit: { code: 0 } },
});
