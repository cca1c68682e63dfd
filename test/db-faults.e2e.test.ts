import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../harness/model/result.ts';
import type { ScenarioDefinition } from '../harness/model/scenario.ts';
import { runScenarios } from '../harness/runner/run-scenarios.ts';
import { loadTargetConfig } from '../harness/target/load-target-config.ts';
import connectTimeoutWaves from '../scenarios/connect-timeout-waves.ts';
import dbFailoverCheckedOut from '../scenarios/db-failover-checked-out.ts';
import dbOutage from '../scenarios/db-outage.ts';
import dbResetMidQuery from '../scenarios/db-reset-mid-query.ts';
import handshakeFuzz from '../scenarios/handshake-fuzz.ts';
import resetInAsyncWindow from '../scenarios/reset-in-async-window.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
let reportsDir: string;
let byName: Map<string, ScenarioResult>;

beforeAll(async () => {
  reportsDir = await mkdtemp(path.join(tmpdir(), 'wuc-db-faults-'));
});

afterAll(async () => {
  await rm(reportsDir, { recursive: true, force: true });
});

async function runOnReference(): Promise<void> {
  const target = await loadTargetConfig(path.join(ROOT, 'targets/reference.ts'));
  const { result } = await runScenarios({
    scenarios: [resetInAsyncWindow, handshakeFuzz, dbFailoverCheckedOut, connectTimeoutWaves, dbResetMidQuery, dbOutage],
    target,
    reportsDir,
    seed: 11,
    logger: pino({ level: 'silent' }),
  });
  byName = new Map(result.scenarios.map((scenario) => [scenario.name, scenario]));
}

function scenario(name: string): ScenarioResult {
  const found = byName.get(name);
  if (found === undefined) throw new Error(`scenario ${name} did not run`);
  return found;
}

function statuses(name: string): (number | null)[] {
  return scenario(name).attempts.map((attempt) => attempt.status);
}

function eventDetails(name: string, kind: string): string[] {
  return scenario(name).events.filter((event) => event.kind === kind).map((event) => event.detail);
}

function repeat<T>(value: T, count: number): T[] {
  return Array.from({ length: count }, () => value);
}

describe('database and raw TCP fault scenarios on the reference server', () => {
  beforeAll(runOnReference, 180_000);

  it.each(['reset-in-async-window', 'handshake-fuzz', 'db-failover-checked-out', 'connect-timeout-waves', 'db-reset-mid-query', 'db-outage'])(
    '%s has no findings',
    (name) => {
      expect(scenario(name).findings).toEqual([]);
      expect(scenario(name).exit?.requested).toBe(true);
    },
  );

  it('reset-in-async-window accepts the 10 normal upgrades', () => {
    const normal = scenario('reset-in-async-window').attempts.slice(10);
    expect(normal.every((attempt) => (attempt.responseMs ?? 0) < 5_000)).toBe(true);
    expect(statuses('reset-in-async-window')).toEqual(repeat(101, 20));
    expect(eventDetails('reset-in-async-window', 'raw-upgrade')).toEqual([
      '50 × valid, reset after 200 ms',
      '50 of 50 sent and reset after 200 ms',
    ]);
  });

  it('handshake-fuzz rejects all 1,200 requests', () => {
    const [started, finished] = eventDetails('handshake-fuzz', 'handshake-fuzz');
    expect(started).toBe('1200 malformed requests, seed 20261204');
    const match = /^1200 requests \(seed 20261204\): (\d+) rejected with 4xx, (\d+) closed$/.exec(finished ?? '');
    expect(match).not.toBeNull();
    expect(Number(match?.[1]) + Number(match?.[2])).toBe(1200);
    expect(statuses('handshake-fuzz')).toEqual([101, 101, 101]);
  });

  it('db-failover-checked-out rejects every interrupted upgrade', () => {
    expect(statuses('db-failover-checked-out')).toEqual([...repeat(101, 10), ...repeat(503, 40), ...repeat(101, 10)]);
    expect(eventDetails('db-failover-checked-out', 'terminate-backends')).toEqual(['terminated 10 session(s)']);
  });

  it('connect-timeout-waves rejects 4 waves, then accepts 20', () => {
    expect(statuses('connect-timeout-waves')).toEqual([...repeat(503, 20), ...repeat(101, 20)]);
    expect(eventDetails('connect-timeout-waves', 'terminate-backends')).toEqual(['terminated 1 session(s)']);
  });

  it('db-reset-mid-query rejects the reset lookups', () => {
    expect(statuses('db-reset-mid-query')).toEqual([...repeat(101, 10), ...repeat(503, 10), ...repeat(101, 20)]);
  });

  it('db-outage fails fast, then accepts 20', () => {
    expect(statuses('db-outage')).toEqual([...repeat(101, 4), ...repeat(503, 20), ...repeat(101, 20)]);
    const rejected = scenario('db-outage').attempts.filter((attempt) => attempt.status === 503);
    expect(rejected.every((attempt) => attempt.retryAfter !== null)).toBe(true);
  });
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
