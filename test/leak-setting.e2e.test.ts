/** A target config with leakSettleMs 0 skips the leak check and reports that in a note. */
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { runScenarios } from '../harness/runner/run-scenarios.ts';
import { createTempDir } from '../harness/target/fixture-targets.ts';
import { loadTargetConfig } from '../harness/target/load-target-config.ts';
import tokenAttacks from '../scenarios/token-attacks.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('leakSettleMs', () => {
  it('skips the leak check at 0', async () => {
    const dir = await createTempDir();
    const reference = await loadTargetConfig(path.join(ROOT, 'targets/reference.ts'));
    const target = { ...reference, leakSettleMs: 0 };

    const { result } = await runScenarios({ scenarios: [tokenAttacks], target, reportsDir: dir, seed: 2, logger: pino({ level: 'silent' }) });
    const scenario = result.scenarios[0];

    expect(scenario?.findings).toEqual([]);
    expect(scenario?.notes).toEqual(['The leak check was skipped: the target config sets leakSettleMs to 0.']);
  }, 60_000);
});
