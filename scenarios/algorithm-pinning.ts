import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against a verifier that takes the algorithm from the token header instead of its own
 * allow-list. The target runs with RS256 only. Three forged tokens must each get 401 within
 * 1 s: an unsigned token (`alg: none`), an HS256 token whose HMAC key is the text of the
 * server's RSA public key (the key confusion attack), and a valid RS256 token whose header was
 * edited to another algorithm with the signature kept. Correctly signed RS256 tokens must be
 * accepted.
 */
export default defineScenario({
  name: 'algorithm-pinning',
  tags: ['tokens', 'security'],
  description:
    'With the target on RS256, alg none, HS256 keyed with the public key and an edited alg each get 401 within 1 s; correctly signed RS256 tokens are accepted.',
  setup: { jwtAlgorithm: 'RS256' },
  timeline: [
    { atMs: 0, action: 'open', count: 5, tokenClass: 'alg-none', maxResponseMs: 1_000 },
    { atMs: 0, action: 'open', count: 5, tokenClass: 'alg-confusion', maxResponseMs: 1_000 },
    { atMs: 0, action: 'open', count: 5, tokenClass: 'alg-edited', maxResponseMs: 1_000 },
    { atMs: 500, action: 'open', count: 5, tokenClass: 'valid', maxResponseMs: 2_000 },
  ],
});
