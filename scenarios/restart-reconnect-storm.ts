import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against a restart that strands clients: 200 connected clients, the target restarted
 * on its port, and every client reconnecting at once. The old process must close each
 * connection with 1001 and exit 0; while it drains, upgrades get 503, and while no process
 * listens, connections are refused. Each client then retries with exponential backoff (100 ms
 * doubling to 1 s, spread per client, at most 12 tries within 10 s) and must get a session on
 * the new process. Any other status, a hang, an unhandled rejection in either process or a
 * client left without a session is a finding.
 */
export default defineScenario({
  name: 'restart-reconnect-storm',
  tags: ['restart', 'shutdown', 'load'],
  description:
    'The target restarts under 200 open connections; each is closed with 1001 and every client reconnects with backoff to the new process, seeing only 503 or a refused connection meanwhile.',
  setup: { shutdownGraceMs: 4_000 },
  timeline: [
    {
      atMs: 0,
      action: 'open',
      count: 200,
      tokenClass: 'valid',
      spreadMs: 500,
      holdMs: null,
      expect: [{ accept: true, closeClass: 'shutdown' }],
      reconnect: { maxTries: 12, baseDelayMs: 100, maxDelayMs: 1_000, budgetMs: 10_000, reconnectHoldMs: 500 },
    },
    { atMs: 2_000, action: 'restart-target' },
  ],
});
