import { describe, expect, it } from 'vitest';

import { SCENARIOS } from '../../scenarios/index.ts';
import { defineScenario } from '../model/scenario.ts';
import { applyProfile } from './apply-profile.ts';

const SCENARIO = defineScenario({
  name: 'profiled',
  tags: [],
  description: 'quick description',
  setup: { verifyTimeoutMs: 2_000, shutdownGraceMs: 5_000 },
  timeline: [{ action: 'open', count: 5, tokenClass: 'valid' }],
  expect: { attemptTimeoutMs: 10_000, outcomeCounts: { accept: 5 } },
  profiles: {
    full: {
      setup: { verifyTimeoutMs: 30_000 },
      timeline: [{ action: 'open', count: 50, tokenClass: 'valid' }],
      expect: { attemptTimeoutMs: 40_000 },
    },
  },
});

describe('applyProfile', () => {
  it('returns the definition for quick', () => {
    expect(applyProfile(SCENARIO, 'quick')).toBe(SCENARIO);
  });

  it('merges full overrides field by field', () => {
    const full = applyProfile(SCENARIO, 'full');

    expect(full.description).toBe('quick description');
    expect(full.setup).toEqual({ verifyTimeoutMs: 30_000, shutdownGraceMs: 5_000 });
    expect(full.timeline).toEqual([{ action: 'open', count: 50, tokenClass: 'valid' }]);
    expect(full.expect).toEqual({ attemptTimeoutMs: 40_000, outcomeCounts: { accept: 5 } });
  });

  it('keeps a scenario without full values', () => {
    const plain = { ...SCENARIO, profiles: undefined };

    expect(applyProfile(plain, 'full')).toBe(plain);
  });

  it.each([
    ['concurrency-100', 510],
    ['slow-db', 20],
    ['verification-timeout', 20],
  ])('gives %s larger full counts', (name, fullAttempts) => {
    const scenario = SCENARIOS.find((candidate) => candidate.name === name);
    const count = (profile: 'quick' | 'full') =>
      applyProfile(scenario ?? SCENARIO, profile).timeline.reduce((sum, step) => sum + (step.action === 'open' ? step.count : 0), 0);

    expect(scenario).toBeDefined();
    expect(count('full')).toBe(fullAttempts);
    expect(count('full')).toBeGreaterThan(count('quick'));
  });

  it('uses the 30 s deadline in full verification-timeout', () => {
    const scenario = SCENARIOS.find((candidate) => candidate.name === 'verification-timeout');

    expect(applyProfile(scenario ?? SCENARIO, 'full').setup?.verifyTimeoutMs).toBe(30_000);
    expect(applyProfile(scenario ?? SCENARIO, 'quick').setup?.verifyTimeoutMs).toBe(2_000);
  });
});
