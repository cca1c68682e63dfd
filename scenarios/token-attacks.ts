import { defineScenario, type TimelineStep, type TokenClass } from '../harness/model/scenario.ts';

/** Attempts per rejected token class. */
const PER_CLASS = 3;

/** Every token class the reference target can be minted for, except `valid` and `alg-confusion`. */
const REJECTED_CLASSES: readonly TokenClass[] = [
  'missing',
  'malformed',
  'bad-signature',
  'alg-none',
  'alg-edited',
  'invalid-bytes',
  'oversized',
  'expired',
  'not-yet-valid',
  'wrong-issuer',
  'wrong-audience',
  'unknown-user',
  'disabled-user',
  'revoked',
  'no-permission',
];

/**
 * Guards against a verifier that a crafted token gets past or breaks. The tokens arrive at the
 * same moment: an unsigned `alg: none` token, a valid token whose header names another
 * algorithm, bytes that are not base64url, a 12 KiB token, and the usual bad claims and
 * forbidden users. Each must get its policy status (401 or 403), never a 500, an accept or a
 * hang. Valid upgrades sent alongside them must still be accepted.
 */
export default defineScenario({
  name: 'token-attacks',
  tags: ['tokens', 'security', 'concurrency'],
  description:
    'Fifteen bad token classes, alg none, an edited alg, non-base64url bytes and a 12 KiB token among them, arrive at once; each gets its policy status within 2 s, and five valid tokens among them are accepted.',
  timeline: [
    ...REJECTED_CLASSES.map(
      (tokenClass): TimelineStep => ({ atMs: 0, action: 'open', count: PER_CLASS, tokenClass, maxResponseMs: 2_000 }),
    ),
    { atMs: 0, action: 'open', count: 5, tokenClass: 'valid', maxResponseMs: 2_000 },
  ],
});
