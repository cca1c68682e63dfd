import { defineScenario } from '../harness/model/scenario.ts';

/** Latency of each toxic, in ms. */
const LATENCY_MS = 1_000;
/** Allowed scheduling delay above the expected time, in ms. It stays under one more latency. */
const SLACK_MS = 950;

/**
 * Guards against a latency fault that delays the other direction than the scenario author
 * thinks, or none. A `latency` toxic added without a `stream` field takes the proxy's default,
 * downstream (Postgres to server), and delays each lookup's response once: about 1 s. A second
 * toxic on upstream delays the request too: about 2 s. The pool is warmed first, so each
 * upgrade costs one query round trip, not a connect. A short latency during the warm-up keeps
 * its four lookups overlapping, so the pool opens four connections: without it, a lookup that
 * finishes early can serve a later one, and a wave-2 upgrade then connects through the toxic.
 */
export default defineScenario({
  name: 'latency-direction',
  tags: ['database', 'latency', 'proxy'],
  description:
    'A latency toxic with no stream field delays lookups by its latency once (downstream); adding the same on upstream doubles it.',
  setup: {
    // Warm pool connections must outlive the gap before the fault, so they stay open 1 s.
    targetEnv: { PG_IDLE_TIMEOUT_MS: '1000' },
    toxics: [{ name: 'warm-up', type: 'latency', stream: 'downstream', attributes: { latency: 100, jitter: 0 } }],
  },
  timeline: [
    { atMs: 0, action: 'open', count: 4, tokenClass: 'valid' },
    { atMs: 800, action: 'remove-toxic', name: 'warm-up' },
    {
      atMs: 850,
      action: 'add-toxic',
      toxic: { name: 'default-stream', type: 'latency', attributes: { latency: LATENCY_MS, jitter: 0 } },
    },
    {
      atMs: 900,
      action: 'open',
      count: 4,
      tokenClass: 'valid',
      minResponseMs: LATENCY_MS,
      maxResponseMs: LATENCY_MS + SLACK_MS,
    },
    {
      atMs: 2_100,
      action: 'add-toxic',
      toxic: {
        name: 'upstream-too',
        type: 'latency',
        stream: 'upstream',
        attributes: { latency: LATENCY_MS, jitter: 0 },
      },
    },
    {
      atMs: 2_200,
      action: 'open',
      count: 4,
      tokenClass: 'valid',
      minResponseMs: 2 * LATENCY_MS,
      maxResponseMs: 2 * LATENCY_MS + SLACK_MS,
    },
  ],
  expect: { outcomeCounts: { accept: 12 } },
});
