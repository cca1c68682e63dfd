/**
 * Runs runScenarios on a target that crashes. The default-suite file checks runScenarios and its
 * reports on the reference server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../harness/runner/run-scenarios.ts';
import { loadTargetConfig } from '../harness/target/load-target-config.ts';
import type { ScenarioDefinition } from '../harness/model/scenario.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const logger = pino({ level: 'silent' });
let reportsDir: string;

beforeAll(async () => {
  reportsDir = await mkdtemp(path.join(tmpdir(), 'wuc-e2e-'));
});

afterAll(async () => {
  await rm(reportsDir, { recursive: true, force: true });
});

describe('runScenarios on a broken target', () => {
  it('reports the async verifyClient rejection and the crash', async () => {
    const target = await loadTargetConfig(path.join(ROOT, 'test/fixtures/async-verify-client/target.json'));
    const scenario: ScenarioDefinition = {
      name: 'missing-token-crash',
      tags: [],
      description: 'One upgrade without a token against an async verifyClient.',
      timeline: [{ atMs: 0, action: 'open', count: 1, tokenClass: 'missing' }],
      expect: { attemptTimeoutMs: 3_000 },
    };
    const { result } = await runScenarios({ scenarios: [scenario], target, reportsDir, seed: 1, logger });

    const [only] = result.scenarios;
    const codes = only?.findings.map((finding) => finding.code).sort();
    expect(codes).toEqual(['client-error', 'crash', 'unhandled-rejection']);
    expect(result.summary.unhandledRejections).toBe(1);
    expect(only?.probe?.unhandledRejections[0]?.message).toBe('missing token');
    expect(only?.exit?.requested).toBe(false);
    expect(only?.exit?.code).toBe(1);
  });
});
