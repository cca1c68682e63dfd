import { defineScenario } from '../harness/model/scenario.ts';

/** The only origin the target allows in this scenario. */
const ALLOWED_ORIGIN = 'https://app.example';

/** A page on another site that opens a WebSocket with the user's credentials. */
const FOREIGN_ORIGIN = 'https://attacker.example';

/**
 * Guards against cross-site WebSocket hijacking: browsers send cookies with a WebSocket upgrade
 * from any page, so a server that ignores `Origin` lets a foreign page act as the user. With an
 * allow-list of one origin, upgrades from a foreign origin get 403 even with a valid token (and
 * without one), while the listed origin and clients that send no `Origin` (not browsers) are
 * accepted.
 */
export default defineScenario({
  name: 'origin-allow-list',
  tags: ['security'],
  description:
    'With one allowed origin, a foreign Origin gets 403 with or without a valid token; the allowed origin and requests without Origin are accepted.',
  setup: { targetEnv: { ALLOWED_ORIGINS: ALLOWED_ORIGIN } },
  timeline: [
    {
      atMs: 0,
      action: 'open',
      count: 5,
      tokenClass: 'valid',
      origin: FOREIGN_ORIGIN,
      expect: [{ reject: 'forbidden' }],
      maxResponseMs: 1_000,
    },
    {
      atMs: 0,
      action: 'open',
      count: 3,
      tokenClass: 'missing',
      origin: FOREIGN_ORIGIN,
      expect: [{ reject: 'forbidden' }, { reject: 'missing' }],
      maxResponseMs: 1_000,
    },
    { atMs: 0, action: 'open', count: 5, tokenClass: 'valid', origin: ALLOWED_ORIGIN, maxResponseMs: 2_000 },
    { atMs: 0, action: 'open', count: 3, tokenClass: 'valid', maxResponseMs: 2_000 },
  ],
});
