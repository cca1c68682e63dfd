import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against a shutdown that drops idle connections without a close frame (1006): twenty
 * connections sit open with no traffic when SIGTERM arrives. Each must get the shutdown close
 * code, and the process must exit 0 within its grace period.
 */
export default defineScenario({
  name: 'idle-at-shutdown',
  tags: ['shutdown'],
  description:
    'SIGTERM while twenty idle connections are open; each gets a 1001 close frame and the process exits 0 within the grace period.',
  setup: { shutdownGraceMs: 5_000 },
  timeline: [
    {
      atMs: 0,
      action: 'open',
      count: 20,
      tokenClass: 'valid',
      holdMs: null,
      expect: [{ accept: true, closeClass: 'shutdown' }],
    },
    { atMs: 1_500, action: 'signal', signal: 'SIGTERM' },
  ],
  expect: { targetExit: { code: 0 } },
});
