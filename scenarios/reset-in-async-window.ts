import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against work and sockets left behind by clients that reset the connection while their
 * upgrade awaits the database. Each of 50 raw clients sends a complete valid upgrade and resets
 * the socket (RST) 200 ms later, while permission lookups take 2 s. 10 normal upgrades follow
 * 100 ms later. The process must stay up. The 10 wait for the lookups already sent for 10
 * reset clients (the pool has 10 clients) and then their own, so they are accepted after 2 s
 * and within 5 s. A server that still runs the 40 queued lookups of gone clients makes them
 * wait about 12 s. From 4 s after the resets on, the target may hold no more TCP sockets than
 * its pool's 10 database connections. The warm-up opens those 10 connections before the
 * latency starts, because a connect behind 2 s of latency per round trip would time out.
 */
export default defineScenario({
  name: 'reset-in-async-window',
  tags: ['raw-tcp', 'database', 'latency', 'leak'],
  description:
    '50 raw upgrades reset 200 ms after sending, during 2 s lookups, then 10 normal ones; the 10 are accepted within 5 s and no socket of the resets is left 4 s later.',
  setup: {
    // Warm pool connections must outlive the gap before the fault, so they stay open 1 s.
    targetEnv: { PG_POOL_MAX: '10', PG_IDLE_TIMEOUT_MS: '1000' },
    toxics: [{ name: 'warm-up', type: 'latency', stream: 'downstream', attributes: { latency: 100, jitter: 0 } }],
  },
  timeline: [
    { atMs: 0, action: 'open', count: 10, tokenClass: 'valid' },
    { atMs: 800, action: 'remove-toxic', name: 'warm-up' },
    {
      atMs: 850,
      action: 'add-toxic',
      toxic: { name: 'slow-db', type: 'latency', stream: 'downstream', attributes: { latency: 2_000, jitter: 0 } },
    },
    { atMs: 900, action: 'raw-upgrade', count: 50, resetAfterMs: 200 },
    { atMs: 1_000, action: 'open', count: 10, tokenClass: 'valid', minResponseMs: 2_000, maxResponseMs: 5_000 },
  ],
  expect: {
    maxHandles: { type: 'TCPSocketWrap', atMs: 5_100, count: 10 },
  },
});
