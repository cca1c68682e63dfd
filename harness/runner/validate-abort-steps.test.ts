import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { validateAbortSteps } from './validate-abort-steps.ts';

function scenarioWith(abortAfterMs: number): ScenarioDefinition {
  return {
    name: 'abort-check',
    tags: [],
    description: 'one aborting open step',
    timeline: [
      { atMs: 0, action: 'open', count: 1, tokenClass: 'valid' },
      { atMs: 10, action: 'open', count: 1, tokenClass: 'valid', abortAfterMs },
    ],
  };
}

function errorOf(run: () => void): HarnessError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  }
  throw new Error('expected a HarnessError');
}

describe('validateAbortSteps', () => {
  it('accepts an abort below the timeout', () => {
    expect(() => validateAbortSteps(scenarioWith(500), 5_000)).not.toThrow();
  });

  it('rejects an abort at the timeout', () => {
    const error = errorOf(() => validateAbortSteps(scenarioWith(5_000), 5_000));
    expect(error.code).toBe('WUC_ERR_SCENARIO_INVALID');
    expect(error.message).toBe(
      'Scenario abort-check, timeline step 2: abortAfterMs is 5000; expected an integer from 1 to 4999 ' +
        '(ms, below the attempt timeout). Lower abortAfterMs or raise expect.attemptTimeoutMs.',
    );
  });

  it('rejects zero and fractions', () => {
    expect(errorOf(() => validateAbortSteps(scenarioWith(0), 5_000)).code).toBe('WUC_ERR_SCENARIO_INVALID');
    expect(errorOf(() => validateAbortSteps(scenarioWith(2.5), 5_000)).code).toBe('WUC_ERR_SCENARIO_INVALID');
  });
});
