import type { RunProfile } from '../model/profile.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';

/** Returns the scenario as it runs under `profile`, with that profile's overrides applied. */
export function applyProfile(scenario: ScenarioDefinition, profile: RunProfile): ScenarioDefinition {
  const overrides = profile === 'quick' ? undefined : scenario.profiles?.[profile];
  if (overrides === undefined) return scenario;

  return {
    ...scenario,
    description: overrides.description ?? scenario.description,
    setup: mergeFields(scenario.setup, overrides.setup),
    timeline: overrides.timeline ?? scenario.timeline,
    expect: mergeFields(scenario.expect, overrides.expect),
  };
}

function mergeFields<T extends object>(base: T | undefined, override: T | undefined): T | undefined {
  if (override === undefined) return base;
  return { ...base, ...override };
}
