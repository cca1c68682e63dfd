import { HarnessError } from '../errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';

/**
 * Rejects an `abortAfterMs` that is not a positive integer below the attempt timeout: the hung
 * timer would end such an attempt first, and it would be judged `hung` instead of aborted.
 */
export function validateAbortSteps(scenario: ScenarioDefinition, attemptTimeoutMs: number): void {
  for (const [index, step] of scenario.timeline.entries()) {
    if (step.action !== 'open' || step.abortAfterMs === undefined) continue;
    const value = step.abortAfterMs;
    if (Number.isInteger(value) && value > 0 && value < attemptTimeoutMs) continue;
    throw new HarnessError(
      'WUC_ERR_SCENARIO_INVALID',
      `Scenario ${scenario.name}, timeline step ${index + 1}: abortAfterMs is ${JSON.stringify(value)}; ` +
        `expected an integer from 1 to ${attemptTimeoutMs - 1} (ms, below the attempt timeout). ` +
        'Lower abortAfterMs or raise expect.attemptTimeoutMs.',
    );
  }
}
