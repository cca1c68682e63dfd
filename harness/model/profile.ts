import type { ScenarioDefinition } from './scenario.ts';

/**
 * Run profiles. `quick` keeps short deadlines and small counts, so the suite runs in minutes.
 * `full` uses the reference server's real 30 s verification deadline and larger counts.
 */
export const RUN_PROFILES = ['quick', 'full'] as const;
export type RunProfile = (typeof RUN_PROFILES)[number];

export const DEFAULT_PROFILE: RunProfile = 'quick';

/**
 * Values a scenario changes under one profile. `setup` and `expect` are merged over the
 * definition's field by field; `timeline` and `description` replace the definition's whole.
 */
export interface ScenarioOverrides {
  description?: string;
  setup?: ScenarioDefinition['setup'];
  timeline?: ScenarioDefinition['timeline'];
  expect?: ScenarioDefinition['expect'];
}

/** Overrides per profile. The definition itself is the `quick` profile. */
export type ScenarioProfiles = Partial<Record<Exclude<RunProfile, 'quick'>, ScenarioOverrides>>;
