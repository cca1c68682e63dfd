import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against server-side sockets left behind by clients that reset the connection while
 * their upgrade awaits the database. Each of 50 raw clients sends a complete valid upgrade and
 * resets the socket (RST) 200 ms later, during a 2 s permission lookup. 10 normal upgrades run
 * at the same time. The process must stay up and the 10 must be accepted after the latency.
 * From 3 s after the resets on, the target may hold no more TCP sockets than its pool's 10
 * database connections. The warm-up opens those 10 connections before the latency starts,
 * because a connect behind 2 s of latency per round trip would time out.
 */
export default defineScenario({
  name: 'reset-in-async-window',
  tags: ['raw-tcp', 'database', 'latency', 'leak'],
  description:
    '50 raw upgrades reset 200 ms after sending, during a 2 s lookup, beside 10 normal ones; the 10 are accepted and no socket of the resets is left 3 s later.',
  setup: {
    targetEnv: { PG_POOL_MAX: '10' },
    toxics: [{ name: 'warm-up', type: 'latency', stream: 'downstream', attributes: { latency: 100, jitter: 0 } }],
  },
  timeline: [
    { atMs: 0, action: 'open', count: 10, tokenClass: 'valid' },
    { atMs: 1_000, action: 'remove-toxic', name: 'warm-up' },
    {
      atMs: 1_100,
      action: 'add-toxic',
      toxic: { name: 'slow-db', type: 'latency', stream: 'downstream', attributes: { latency: 2_000, jitter: 0 } },
    },
    { atMs: 1_200, action: 'open', count: 10, tokenClass: 'valid', minResponseMs: 2_000, maxResponseMs: 4_500 },
    { atMs: 1_250, action: 'raw-upgrade', count: 50, resetAfterMs: 200 },
  ],
  expect: {
    maxHandles: { type: 'TCPSocketWrap', atMs: 4_250, count: 10 },
  },
});
