import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against upgrades that wait as long as the database does. With a 2 s verification
 * deadline and 5 s of database latency, every attempt must get the policy's timed-out status
 * close to the deadline, never a hang and never an accept.
 */
export default defineScenario({
  name: 'verification-timeout',
  tags: ['seed', 'database', 'latency', 'deadline'],
  description:
    'Database latency beyond a 2 s verification deadline; each upgrade gets the timed-out status within the deadline plus 1 s.',
  setup: {
    verifyTimeoutMs: 2_000,
    toxics: [{ name: 'stalled-db', type: 'latency', stream: 'downstream', attributes: { latency: 5_000, jitter: 0 } }],
  },
  timeline: [
    {
      atMs: 0,
      action: 'open',
      count: 5,
      tokenClass: 'valid',
      expect: [{ reject: 'timedOut' }],
      minResponseMs: 1_900,
      maxResponseMs: 3_000,
    },
  ],
  profiles: {
    // The reference server's own 30 s deadline, with latency well past it.
    full: {
      description:
        'Database latency beyond the 30 s verification deadline; each upgrade gets the timed-out status within the deadline plus 2 s.',
      setup: {
        verifyTimeoutMs: 30_000,
        // The reference server's connect (10 s) and statement (15 s) timeouts would end it
        // sooner. These variable names are its own, and other targets ignore them.
        targetEnv: { PG_CONNECT_TIMEOUT_MS: '60000', PG_STATEMENT_TIMEOUT_MS: '60000' },
        toxics: [{ name: 'stalled-db', type: 'latency', stream: 'downstream', attributes: { latency: 40_000, jitter: 0 } }],
      },
      timeline: [
        {
          atMs: 0,
          action: 'open',
          count: 20,
          tokenClass: 'valid',
          expect: [{ reject: 'timedOut' }],
          minResponseMs: 29_900,
          maxResponseMs: 32_000,
        },
      ],
      expect: { attemptTimeoutMs: 45_000 },
    },
  },
});
