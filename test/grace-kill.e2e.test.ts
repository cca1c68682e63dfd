/**
 * A target that ignores a scenario's shutdown signal is killed once its grace period has
 * passed, not when the scenario's attempts time out. A target that does not read the
 * scenario's grace period is judged by the one in its own config.
 */
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { defineScenario } from '../harness/model/scenario.ts';
import { runScenarios } from '../harness/runner/run-scenarios.ts';
import { createTempDir, fixtureConfig, writeServer } from '../harness/target/fixture-targets.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

const SIGNAL_ONLY = defineScenario({
  name: 'signal-only',
  tags: ['shutdown'],
  description: 'Sends SIGTERM and waits for the exit.',
  setup: { shutdownGraceMs: 5_000 },
  timeline: [
    { atMs: 0, action: 'open', count: 1, tokenClass: 'missing', expect: [{ reject: 'missing' }, { reject: 'shuttingDown' }] },
    { atMs: 200, action: 'signal', signal: 'SIGTERM' },
  ],
  expect: { targetExit: { code: 0 }, attemptTimeoutMs: 20_000 },
});

describe('a target that ignores SIGTERM', () => {
  it('is killed after its config grace period', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'deaf', {
      setup: "process.on('SIGTERM', () => console.log('SIGTERM ignored'));",
      // Upgrades get no response, so the attempt would wait for its 20 s timeout.
      routes: "if (req.headers.upgrade) return;",
    });
    const target = fixtureConfig(dir, {
      name: 'deaf',
      command: ['node', 'deaf.mjs'],
      schemaFile: path.join(ROOT, 'server/schema.sql'),
      shutdown: { signal: 'SIGTERM', graceMs: 1_000 },
    });

    const { result } = await runScenarios({ scenarios: [SIGNAL_ONLY], target, reportsDir: dir, seed: 3, logger: pino({ level: 'silent' }) });
    const scenario = result.scenarios[0];

    expect(scenario?.exit?.signal).toBe('SIGKILL');
    // Killed at the config's 1 s grace plus the 2 s margin, long before the 20 s attempt timeout.
    expect(scenario?.exit?.afterSignalMs).toBeGreaterThanOrEqual(3_000);
    expect(scenario?.exit?.afterSignalMs).toBeLessThan(10_000);
    const slow = scenario?.findings.find((finding) => finding.code === 'slow-shutdown');
    expect(slow?.message).toMatch(/^target exited \d+ ms after the signal; grace period 1000 ms$/);
  }, 60_000);
});
