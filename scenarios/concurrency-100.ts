import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against verification state shared between concurrent upgrades: 100 attempts start
 * together, and each must get its own outcome and, when accepted, its own user's identity.
 */
export default defineScenario({
  name: 'concurrency-100',
  tags: ['seed', 'concurrency', 'identity'],
  description:
    '100 simultaneous upgrades, 60 valid for distinct users and 40 invalid of four classes; each gets its own outcome and identity.',
  timeline: [
    { atMs: 0, action: 'open', count: 60, tokenClass: 'valid' },
    { atMs: 0, action: 'open', count: 10, tokenClass: 'expired' },
    { atMs: 0, action: 'open', count: 10, tokenClass: 'bad-signature' },
    { atMs: 0, action: 'open', count: 10, tokenClass: 'no-permission' },
    { atMs: 0, action: 'open', count: 10, tokenClass: 'missing' },
  ],
});
