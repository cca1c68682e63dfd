import type { ToxicSpec } from '../harness/model/environment.ts';
import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against a verification phase whose slowness hides in the total or lands on the wrong
 * phase. The target keeps its rate limit counters in Postgres (RATE_LIMIT_STORE=postgres)
 * through a second proxy, `rate-limit`, so the rate limit check and the permission lookup each
 * have a database link of their own. Latency goes on one link at a time, and the attempts of
 * that round must report the slowed phase at 400 ms or more in their Server-Timing header. The
 * first round, with no toxic, only requires all three phases to be reported.
 *
 * TODO: the token phase is not slowed here. The reference server checks HMAC tokens in
 * process, so a token-phase delay needs a key fetched over the network (a JWKS URL behind a
 * third proxy), which the server does not support yet.
 *
 * Counters in Postgres outlive the target process, so the users (0401 to 0415) are kept apart
 * from other scenarios, and the limit is far above the three tries per user.
 */
export default defineScenario({
  name: 'slow-phase-matrix',
  tags: ['latency', 'database', 'rate-limit', 'server-timing'],
  description:
    'A 500 ms latency toxic on the lookup link, then on the rate limit store link; each round must report that phase at 400 ms or more in Server-Timing.',
  setup: {
    targetEnv: { RATE_LIMIT_STORE: 'postgres', RATE_LIMIT_POINTS: '1000' },
    databaseProxies: [{ name: 'rate-limit', urlEnv: 'RATE_LIMIT_DATABASE_URL' }],
  },
  timeline: [
    // Five overlapping upgrades also open five connections in each pool, so the toxics below
    // delay queries on warm connections, not connects.
    { atMs: 0, action: 'open', count: 5, tokenClass: 'valid', firstUser: 401, minPhaseMs: { token: 0, limit: 0, lookup: 0 } },
    { atMs: 1_000, action: 'add-toxic', toxic: slowLink('slow-lookup') },
    { atMs: 1_100, action: 'open', count: 5, tokenClass: 'valid', firstUser: 406, minPhaseMs: { lookup: 400 } },
    { atMs: 2_600, action: 'remove-toxic', name: 'slow-lookup' },
    { atMs: 2_700, action: 'add-toxic', proxy: 'rate-limit', toxic: slowLink('slow-rate-limit') },
    { atMs: 2_800, action: 'open', count: 5, tokenClass: 'valid', firstUser: 411, minPhaseMs: { limit: 400 } },
    { atMs: 4_300, action: 'remove-toxic', proxy: 'rate-limit', name: 'slow-rate-limit' },
  ],
});

/** 500 ms on every reply from Postgres. */
function slowLink(name: string): ToxicSpec {
  return { name, type: 'latency', stream: 'downstream', attributes: { latency: 500, jitter: 0 } };
}
