import { defineScenario } from '../harness/model/scenario.ts';
import type { TimelineStep } from '../harness/model/scenario.ts';
import { TOKEN_CLASSES } from '../harness/model/scenario.ts';

/** Attempts per token class. */
const PER_CLASS = 3;

/**
 * Guards against token failures that get the wrong status (a 500 for a bad signature, a 401
 * for a revoked token) or that are accepted. Every token class the harness mints is tried, valid
 * included, each with its policy outcome.
 */
export default defineScenario({
  name: 'failing-tokens',
  tags: ['seed', 'tokens'],
  description:
    'Missing, malformed, badly signed, expired, not yet valid, wrong issuer or audience, unknown, forbidden, disabled and revoked tokens each get their policy status; valid ones are accepted.',
  timeline: TOKEN_CLASSES.map(
    (tokenClass, i): TimelineStep => ({
      atMs: i * 50,
      action: 'open',
      count: PER_CLASS,
      tokenClass,
      maxResponseMs: 2_000,
    }),
  ),
});
