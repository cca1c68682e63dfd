import { defineScenario, type TimelineStep } from '../harness/model/scenario.ts';

/** Rounds of simultaneous upgrades, and attempts per round. */
const ROUNDS = 5;
const PER_ROUND = 100;
/** Time between round starts, in ms. Rounds may overlap, and each has its own 100 users. */
const ROUND_GAP_MS = 700;

/**
 * Guards against an identity that leaks between upgrades when lookups finish out of order:
 * 200 ms of latency with 200 ms of jitter reorders the permission lookups of 100 simultaneous
 * upgrades for distinct users. Every upgrade must be accepted and its welcome must name its own
 * user, over five rounds.
 */
export default defineScenario({
  name: 'identity-reordering',
  tags: ['concurrency', 'identity', 'database', 'latency'],
  description:
    'Five rounds of 100 simultaneous upgrades for distinct users, with lookups reordered by latency jitter; all 500 are accepted and each welcome names its own user.',
  setup: {
    targetEnv: { PG_POOL_MAX: '50' },
    toxics: [{ name: 'jittery-db', type: 'latency', stream: 'downstream', attributes: { latency: 200, jitter: 200 } }],
  },
  timeline: rounds(ROUNDS),
  expect: { outcomeCounts: { accept: ROUNDS * PER_ROUND } },
  profiles: {
    // Ten rounds use all 1,000 valid users of the reference fixtures.
    full: {
      description:
        'Ten rounds of 100 simultaneous upgrades for distinct users, with lookups reordered by latency jitter; all 1,000 are accepted and each welcome names its own user.',
      timeline: rounds(2 * ROUNDS),
      expect: { outcomeCounts: { accept: 2 * ROUNDS * PER_ROUND } },
    },
  },
});

/** Opens `count` rounds of simultaneous upgrades, each for its own 100 users. */
function rounds(count: number): TimelineStep[] {
  return Array.from(
    { length: count },
    (_, round): TimelineStep => ({ atMs: round * ROUND_GAP_MS, action: 'open', count: PER_ROUND, tokenClass: 'valid' }),
  );
}
