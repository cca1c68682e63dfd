import { defineScenario, type TimelineStep } from '../harness/model/scenario.ts';

/**
 * Guards against verification state shared between concurrent upgrades: 100 attempts start
 * together, and each must get its own outcome and, when accepted, its own user's identity.
 */
export default defineScenario({
  name: 'concurrency-100',
  tags: ['seed', 'concurrency', 'identity'],
  description:
    '100 simultaneous upgrades, 60 valid for distinct users and 40 invalid of four classes; each gets its own outcome and identity.',
  timeline: openTogether(60, 10),
  profiles: {
    full: {
      description:
        '510 simultaneous upgrades, 350 valid for distinct users and 160 invalid of four classes; each gets its own outcome and identity.',
      timeline: openTogether(350, 50),
    },
  },
});

/**
 * Opens `valid` upgrades for distinct users and `invalidPerClass` of three invalid classes, plus
 * 10 `no-permission` ones, all at once. Those 10 share one user, so more would meet the per-user
 * rate limit and get 429.
 */
function openTogether(valid: number, invalidPerClass: number): TimelineStep[] {
  return [
    { atMs: 0, action: 'open', count: valid, tokenClass: 'valid' },
    { atMs: 0, action: 'open', count: invalidPerClass, tokenClass: 'expired' },
    { atMs: 0, action: 'open', count: invalidPerClass, tokenClass: 'bad-signature' },
    { atMs: 0, action: 'open', count: 10, tokenClass: 'no-permission' },
    { atMs: 0, action: 'open', count: invalidPerClass, tokenClass: 'missing' },
  ];
}
