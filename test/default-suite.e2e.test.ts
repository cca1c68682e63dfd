/**
 * Runs the whole default suite against the reference server, as `npm run scenarios` does, and
 * requires a clean run: no finding in any scenario, and for scenarios whose outcomes are fixed,
 * the exact number of attempts per HTTP status.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunResult, ScenarioResult } from '../harness/model/result.ts';
import { runScenarios } from '../harness/runner/run-scenarios.ts';
import { loadTargetConfig } from '../harness/target/load-target-config.ts';
import { SCENARIOS } from '../scenarios/index.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Attempts per HTTP status (101 for accepted) in scenarios whose outcomes do not vary. */
const STATUS_COUNTS: Record<string, Record<string, number>> = {
  'failing-tokens': { '101': 3, '401': 24, '403': 9 },
  'concurrency-100': { '101': 60, '401': 30, '403': 10 },
  'slow-db': { '101': 8 },
  'verification-timeout': { '503': 5 },
  'bad-tokens-burst': { '101': 5, '401': 60 },
  'identity-reordering': { '101': 500 },
  'rate-limit-slow-lookup': { '101': 5, '429': 25 },
  'token-expiry-close': { '101': 10 },
  'idle-at-shutdown': { '101': 20 },
  'latency-direction': { '101': 12 },
  // The 10 aborted attempts have no status: their clients left before any response.
  'client-abort-mid-verification': { '101': 15, null: 10 },
  'token-attacks': { '101': 5, '401': 36, '403': 9 },
  'algorithm-pinning': { '101': 5, '401': 15 },
  'origin-allow-list': { '101': 8, '403': 8 },
};

let reportsDir: string;
let result: RunResult;

beforeAll(async () => {
  reportsDir = await mkdtemp(path.join(tmpdir(), 'wuc-suite-'));
  const target = await loadTargetConfig(path.join(ROOT, 'targets/reference.ts'));
  ({ result } = await runScenarios({
    scenarios: [...SCENARIOS],
    target,
    reportsDir,
    seed: 11,
    logger: pino({ level: 'silent' }),
  }));
}, 600_000);

afterAll(async () => {
  await rm(reportsDir, { recursive: true, force: true });
});

function statusCounts(scenario: ScenarioResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const attempt of scenario.attempts) {
    const key = String(attempt.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('default suite on the reference server', () => {
  it('runs every scenario once', () => {
    expect(result.scenarios.map((scenario) => scenario.name)).toEqual(SCENARIOS.map((scenario) => scenario.name));
  });

  it.each(SCENARIOS.map((scenario) => scenario.name))('%s has no finding', (name) => {
    const scenario = result.scenarios.find((item) => item.name === name);
    expect(scenario?.findings.map((finding) => `${finding.code}: ${finding.message}`)).toEqual([]);
  });

  it.each(Object.keys(STATUS_COUNTS))('%s gets its exact statuses', (name) => {
    const scenario = result.scenarios.find((item) => item.name === name);
    expect(scenario).toBeDefined();
    expect(statusCounts(scenario as ScenarioResult)).toEqual(STATUS_COUNTS[name]);
  });

  it('sees no unhandled rejection or uncaught exception', () => {
    expect(result.summary.unhandledRejections).toBe(0);
    expect(result.summary.uncaughtExceptions).toBe(0);
  });
});
