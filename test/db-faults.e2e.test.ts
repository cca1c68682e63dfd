/**
 * Database and raw TCP fault checks that the default suite does not make: a target that returns 500
 * on token errors, and tightened handle and backend limits on the reference server. The
 * default-suite file checks the fault scenarios themselves on the reference server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioDefinition } from '../harness/model/scenario.ts';
import { runScenarios } from '../harness/runner/run-scenarios.ts';
import { loadTargetConfig } from '../harness/target/load-target-config.ts';
import dbOutage from '../scenarios/db-outage.ts';
import handshakeFuzz from '../scenarios/handshake-fuzz.ts';
import resetInAsyncWindow from '../scenarios/reset-in-async-window.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
let reportsDir: string;

beforeAll(async () => {
  reportsDir = await mkdtemp(path.join(tmpdir(), 'wuc-db-faults-'));
});

afterAll(async () => {
  await rm(reportsDir, { recursive: true, force: true });
});

describe('database and raw TCP fault checks on faults', () => {
  it('names the kinds a 500 on token errors hits', async () => {
    const target = await loadTargetConfig(path.join(ROOT, 'test/gallery/token-error-500/target.json'));
    const timeline = handshakeFuzz.timeline.map((step) => (step.action === 'handshake-fuzz' ? { ...step, count: 200, seed: 5 } : step));
    const scenario: ScenarioDefinition = { ...handshakeFuzz, timeline };
    const { result } = await runScenarios({ scenarios: [scenario], target, reportsDir, seed: 11, logger: pino({ level: 'silent' }) });
    const findings = result.scenarios[0]?.findings ?? [];
    const serverErrors = findings.find((finding) => finding.code === 'wrong-status');

    // ws alone also accepts a repeated Authorization header and an HTTP/0.9 request line.
    expect(findings.map((finding) => finding.code).sort()).toEqual(['unexpected-accept', 'wrong-status']);
    expect(serverErrors?.message).toMatch(/^\d+ of 200 malformed upgrade requests \(seed 5\) got a 5xx instead of a 4xx; kinds: /);
    expect(serverErrors?.message).toContain('bad-token-shape × ');
    expect(serverErrors?.evidence?.[0]).toMatch(/^request #\d+ \([a-z-]+, \d+ bytes\): HTTP\/1\.1 500 /);
  }, 60_000);

  it('reports limits the reference server exceeds', async () => {
    const target = await loadTargetConfig(path.join(ROOT, 'targets/reference.ts'));
    const tightHandles: ScenarioDefinition = {
      ...resetInAsyncWindow,
      name: 'tight-handles',
      expect: { maxHandles: { type: 'TCPSocketWrap', atMs: 5_400, count: 5 } },
    };
    const tightBackends: ScenarioDefinition = { ...dbOutage, name: 'tight-backends', expect: { maxBackends: { count: 2 } } };
    const { result } = await runScenarios({
      scenarios: [tightHandles, tightBackends],
      target,
      reportsDir,
      seed: 11,
      logger: pino({ level: 'silent' }),
    });
    const [handles, backends] = result.scenarios;

    expect(handles?.findings.map((finding) => finding.code)).toEqual(['handle-limit']);
    expect(handles?.findings[0]?.message).toMatch(/counted more than 5 TCPSocketWrap in the target \(max 10\)$/);
    expect(backends?.findings.map((finding) => finding.code)).toEqual(['backend-limit']);
    expect(backends?.findings[0]?.message).toMatch(/counted more than 2 target sessions \(max 4\)$/);
  }, 90_000);
});
