import { defineScenario, type TimelineStep } from '../harness/model/scenario.ts';

/**
 * Guards against a burst of bad tokens slowing or breaking the rejection path: sixty upgrades
 * with no token, a token that is not three dot-separated parts, or a token signed with a key
 * the server does not know arrive at the same instant. Each must get 401 within 1 s, and
 * valid upgrades right after them must still be accepted.
 */
export default defineScenario({
  name: 'bad-tokens-burst',
  tags: ['tokens', 'concurrency'],
  description:
    'Sixty missing, malformed and badly signed tokens at the same instant each get 401 within 1 s; five valid upgrades after them are accepted.',
  timeline: burst(20),
  profiles: {
    full: {
      description:
        'Three hundred missing, malformed and badly signed tokens at the same instant each get 401 within 1 s; five valid upgrades after them are accepted.',
      timeline: burst(100),
    },
  },
});

/** Opens `perClass` attempts of each bad class at once, then five valid ones. */
function burst(perClass: number): TimelineStep[] {
  return [
    { atMs: 0, action: 'open', count: perClass, tokenClass: 'missing', maxResponseMs: 1_000 },
    { atMs: 0, action: 'open', count: perClass, tokenClass: 'malformed', maxResponseMs: 1_000 },
    { atMs: 0, action: 'open', count: perClass, tokenClass: 'bad-signature', maxResponseMs: 1_000 },
    { atMs: 1_000, action: 'open', count: 5, tokenClass: 'valid' },
  ];
}
