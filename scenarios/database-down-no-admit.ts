import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against an error path that falls through to accept: while the database cannot be
 * reached, a permission lookup that fails must reject with 503, never admit the upgrade with an
 * empty or default identity. Expired tokens must still get 401 without the database. Once the
 * database is back, valid upgrades must be accepted again within 2 s, each naming its user.
 */
export default defineScenario({
  name: 'database-down-no-admit',
  tags: ['database', 'tokens', 'identity'],
  description:
    'With the database link disabled, lookups get 503 and expired tokens 401, none accepted; after it is re-enabled, valid upgrades are accepted within 2 s.',
  timeline: [
    { atMs: 0, action: 'set-proxy-enabled', enabled: false },
    { atMs: 100, action: 'open', count: 10, tokenClass: 'valid', expect: [{ reject: 'unavailable' }] },
    { atMs: 100, action: 'open', count: 10, tokenClass: 'expired' },
    { atMs: 2_000, action: 'set-proxy-enabled', enabled: true },
    { atMs: 2_100, action: 'open', count: 5, tokenClass: 'valid', maxResponseMs: 2_000 },
  ],
});
