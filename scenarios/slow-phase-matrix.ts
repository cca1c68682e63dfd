import type { ToxicSpec } from '../harness/model/environment.ts';
import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against a verification phase whose slowness hides in the total or lands on the wrong
 * phase. Each phase the target runs gets a network link of its own, behind its own proxy.
 *
 * For the token phase, tokens are RS256 and the target fetches its public key from a JSON Web
 * Key Set that the harness serves behind proxy `jwks` (JWKS_URL). JWKS_CACHE_MAX_AGE_MS=0 makes
 * it fetch the key set for every token, so the fetch is part of each token phase. A real
 * deployment caches the set, and then only a cold cache or an unknown `kid` pays this cost.
 * JWT_PUBLIC_KEY is emptied because the reference server takes one key source only. For the
 * rate limit phase, the target keeps its counters in Postgres (RATE_LIMIT_STORE=postgres)
 * through proxy `rate-limit`. The lookup phase queries through the database proxy, as in every
 * scenario.
 *
 * Latency goes on one link at a time, and every attempt of that round must report the slowed
 * phase at 400 ms or more in its Server-Timing header. The first round, with no toxic, only
 * requires all three phases to be reported. Counters in Postgres outlive the target process,
 * so the users (0401 to 0420) are kept apart from other scenarios, and the limit is far above
 * one try per user.
 */
export default defineScenario({
  name: 'slow-phase-matrix',
  tags: ['latency', 'database', 'rate-limit', 'tokens', 'server-timing'],
  description:
    'A 500 ms latency toxic on the key set link, the rate limit store link and the lookup link in turn; each round must report that phase at 400 ms or more in Server-Timing.',
  setup: {
    jwtAlgorithm: 'RS256',
    // Warm pool connections must outlive the gap before the fault, so they stay open 1 s.
    targetEnv: {
      PG_IDLE_TIMEOUT_MS: '1000',
      RATE_LIMIT_STORE: 'postgres',
      RATE_LIMIT_POINTS: '1000',
      JWKS_CACHE_MAX_AGE_MS: '0',
      JWT_PUBLIC_KEY: '',
    },
    databaseProxies: [{ name: 'rate-limit', urlEnv: 'RATE_LIMIT_DATABASE_URL' }],
    jwksProxy: { name: 'jwks', urlEnv: 'JWKS_URL' },
  },
  timeline: [
    // Five overlapping upgrades also open five connections in each pool, so the toxics below
    // mostly delay queries on warm connections. A connect behind a toxic only takes longer.
    { atMs: 0, action: 'open', count: 5, tokenClass: 'valid', firstUser: 401, minPhaseMs: { token: 0, limit: 0, lookup: 0 } },
    { atMs: 700, action: 'add-toxic', toxic: slowLink('slow-lookup') },
    { atMs: 800, action: 'open', count: 5, tokenClass: 'valid', firstUser: 406, minPhaseMs: { lookup: 400 } },
    { atMs: 2_000, action: 'remove-toxic', name: 'slow-lookup' },
    { atMs: 2_100, action: 'add-toxic', proxy: 'rate-limit', toxic: slowLink('slow-rate-limit') },
    { atMs: 2_200, action: 'open', count: 5, tokenClass: 'valid', firstUser: 411, minPhaseMs: { limit: 400 } },
    { atMs: 3_400, action: 'remove-toxic', proxy: 'rate-limit', name: 'slow-rate-limit' },
    { atMs: 3_500, action: 'add-toxic', proxy: 'jwks', toxic: slowLink('slow-key-set') },
    { atMs: 3_600, action: 'open', count: 5, tokenClass: 'valid', firstUser: 416, minPhaseMs: { token: 400 } },
    { atMs: 4_800, action: 'remove-toxic', proxy: 'jwks', name: 'slow-key-set' },
  ],
});

/** 500 ms on every reply from the far end of the link. */
function slowLink(name: string): ToxicSpec {
  return { name, type: 'latency', stream: 'downstream', attributes: { latency: 500, jitter: 0 } };
}
