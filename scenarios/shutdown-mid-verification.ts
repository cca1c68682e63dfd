import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against a shutdown that exits while verifications still await the database, leaving
 * clients with a bare reset. SIGTERM arrives once ten upgrades are pending behind 3 s of
 * database latency. Each must get the shutting-down status, or be accepted and then closed
 * with the shutdown close code. The three open connections must get that close code too, and
 * the process must exit 0 within its grace period.
 */
export default defineScenario({
  name: 'shutdown-mid-verification',
  tags: ['seed', 'shutdown', 'database', 'latency'],
  description:
    'SIGTERM while ten verifications await a slow database and three connections are open; every attempt ends with the policy outcome and the process exits 0 in time.',
  // The ten lookups open new pool connections behind the 3 s latency, and shutdown waits for
  // them to end. A 4 s grace period bounds that wait.
  setup: { shutdownGraceMs: 4_000 },
  timeline: [
    {
      atMs: 0,
      action: 'open',
      count: 3,
      tokenClass: 'valid',
      holdMs: null,
      expect: [{ accept: true, closeClass: 'shutdown' }],
    },
    {
      atMs: 1_000,
      action: 'add-toxic',
      toxic: { name: 'slow-db', type: 'latency', stream: 'downstream', attributes: { latency: 3_000, jitter: 0 } },
    },
    {
      atMs: 1_100,
      action: 'open',
      count: 10,
      tokenClass: 'valid',
      holdMs: null,
      expect: [{ reject: 'shuttingDown' }, { accept: true, closeClass: 'shutdown' }],
    },
    { atMs: 1_300, whenPending: 10, action: 'signal', signal: 'SIGTERM' },
  ],
  expect: { targetExit: { code: 0 } },
});
