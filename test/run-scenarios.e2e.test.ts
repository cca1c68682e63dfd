import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../harness/reporters/write-reports.ts';
import { runScenarios } from '../harness/runner/run-scenarios.ts';
import { loadTargetConfig } from '../harness/target/load-target-config.ts';
import failingTokens from '../scenarios/failing-tokens.ts';
import verificationTimeout from '../scenarios/verification-timeout.ts';
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

describe('runScenarios on the reference server', () => {
  it('passes failing-tokens and verification-timeout', async () => {
    const target = await loadTargetConfig(path.join(ROOT, 'targets/reference.ts'));
    const { result, runDir } = await runScenarios({
      scenarios: [failingTokens, verificationTimeout],
      target,
      reportsDir,
      seed: 7,
      logger,
    });
    await writeReports(result, runDir);

    const findings = result.scenarios.flatMap((scenario) => scenario.findings);
    expect(findings).toEqual([]);
    expect(result.summary).toEqual({
      scenarios: 2,
      passed: 2,
      failed: 0,
      attempts: 41,
      unhandledRejections: 0,
      uncaughtExceptions: 0,
    });
    expect(result.backends.postgres.kind).toBe('embedded');
    expect(result.backends.toxiproxy.kind).toBe('builtin');

    const tokens = result.scenarios[0]?.attempts ?? [];
    const statusOf = (tokenClass: string) => tokens.filter((a) => a.tokenClass === tokenClass).map((a) => a.status);
    expect(statusOf('valid')).toEqual([101, 101, 101]);
    expect(statusOf('missing')).toEqual([401, 401, 401]);
    expect(statusOf('bad-signature')).toEqual([401, 401, 401]);
    expect(statusOf('expired')).toEqual([401, 401, 401]);
    expect(statusOf('revoked')).toEqual([403, 403, 403]);
    expect(statusOf('disabled-user')).toEqual([403, 403, 403]);

    const timedOut = result.scenarios[1]?.attempts ?? [];
    expect(timedOut.map((a) => a.status)).toEqual([503, 503, 503, 503, 503]);
    expect(timedOut.every((a) => a.retryAfter !== null)).toBe(true);

    const saved = JSON.parse(await readFile(path.join(runDir, 'results.json'), 'utf8'));
    expect(saved.runId).toBe(result.runId);
    expect(await readlink(path.join(reportsDir, 'latest'))).toBe(result.runId);
    const junit = await readFile(path.join(runDir, 'junit.xml'), 'utf8');
    expect(junit).toContain('tests="2" failures="0"');
  });
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
