import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../harness/model/result.ts';
import { runScenarios } from '../harness/runner/run-scenarios.ts';
import { loadTargetConfig } from '../harness/target/load-target-config.ts';
import algorithmPinning from '../scenarios/algorithm-pinning.ts';
import originAllowList from '../scenarios/origin-allow-list.ts';
import tokenAttacks from '../scenarios/token-attacks.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
let reportsDir: string;
let result: RunResult;

beforeAll(async () => {
  reportsDir = await mkdtemp(path.join(tmpdir(), 'wuc-token-attacks-'));
  const target = await loadTargetConfig(path.join(ROOT, 'targets/reference.ts'));
  ({ result } = await runScenarios({
    scenarios: [tokenAttacks, algorithmPinning, originAllowList],
    target,
    reportsDir,
    seed: 5,
    logger: pino({ level: 'silent' }),
  }));
}, 300_000);

afterAll(async () => {
  await rm(reportsDir, { recursive: true, force: true });
});

/** Attempt count per `tokenClass:status` in one scenario, for example `alg-none:401`. */
function countsOf(name: string): Record<string, number> {
  const scenario = result.scenarios.find((candidate) => candidate.name === name);
  const counts: Record<string, number> = {};
  for (const attempt of scenario?.attempts ?? []) {
    const key = `${attempt.tokenClass}:${String(attempt.status)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('token attack scenarios on the reference server', () => {
  it('finish without findings', () => {
    const findings = result.scenarios.flatMap((scenario) => scenario.findings.map((finding) => `${scenario.name}: ${finding.code}`));

    expect(findings).toEqual([]);
    expect(result.summary.scenarios).toBe(3);
    expect(result.summary.passed).toBe(3);
    expect(result.summary.attempts).toBe(86);
    expect(result.summary.unhandledRejections).toBe(0);
    expect(result.summary.uncaughtExceptions).toBe(0);
  });

  it('token-attacks gives each class its status', () => {
    expect(countsOf('token-attacks')).toEqual({
      'missing:401': 3,
      'malformed:401': 3,
      'bad-signature:401': 3,
      'alg-none:401': 3,
      'alg-edited:401': 3,
      'invalid-bytes:401': 3,
      'oversized:401': 3,
      'expired:401': 3,
      'not-yet-valid:401': 3,
      'wrong-issuer:401': 3,
      'wrong-audience:401': 3,
      'unknown-user:401': 3,
      'disabled-user:403': 3,
      'revoked:403': 3,
      'no-permission:403': 3,
      'valid:101': 5,
    });
  });

  it('algorithm-pinning rejects every forged algorithm', () => {
    expect(countsOf('algorithm-pinning')).toEqual({
      'alg-none:401': 5,
      'alg-confusion:401': 5,
      'alg-edited:401': 5,
      'valid:101': 5,
    });
  });

  it('origin-allow-list rejects the foreign origin first', () => {
    expect(countsOf('origin-allow-list')).toEqual({ 'valid:403': 5, 'missing:403': 3, 'valid:101': 8 });
  });
});
