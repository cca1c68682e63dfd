/**
 * Runs the whole default suite against the reference server once, as `npm run scenarios` does.
 * The checks read that one run: no finding in any scenario, exact statuses where outcomes are
 * fixed, and per area the details the scenarios promise (token classes, database faults, phase
 * timings, restart, reports). Other end-to-end files run only broken targets and changed scenarios.
 */
import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AttemptRecord } from '../harness/model/attempt.ts';
import type { RunResult, ScenarioResult } from '../harness/model/result.ts';
import { writeReports } from '../harness/reporters/write-reports.ts';
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
let runDir: string;
let result: RunResult;

beforeAll(async () => {
  reportsDir = await mkdtemp(path.join(tmpdir(), 'wuc-suite-'));
  const target = await loadTargetConfig(path.join(ROOT, 'targets/reference.ts'));
  ({ result, runDir } = await runScenarios({
    scenarios: [...SCENARIOS],
    target,
    reportsDir,
    seed: 11,
    logger: pino({ level: 'silent' }),
  }));
  await writeReports(result, runDir);
}, 600_000);

afterAll(async () => {
  await rm(reportsDir, { recursive: true, force: true });
});

function scenario(name: string): ScenarioResult {
  const found = result.scenarios.find((item) => item.name === name);
  if (found === undefined) throw new Error(`scenario ${name} did not run`);
  return found;
}

function statusCounts(found: ScenarioResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const attempt of found.attempts) {
    const key = String(attempt.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
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

/** Attempt count per `tokenClass:status` in one scenario, for example `alg-none:401`. */
function classCounts(name: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const attempt of scenario(name).attempts) {
    const key = `${attempt.tokenClass}:${String(attempt.status)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Median of one phase over `attempts`; NaN when none reported it. */
function medianPhase(attempts: readonly AttemptRecord[], phase: string): number {
  const values = attempts.flatMap((attempt) => (attempt.phases?.[phase] === undefined ? [] : [attempt.phases[phase]]));
  const sorted = values.sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('default suite on the reference server', () => {
  it('runs every scenario once', () => {
    expect(result.scenarios.map((item) => item.name)).toEqual(SCENARIOS.map((item) => item.name));
  });

  it.each(SCENARIOS.map((item) => item.name))('%s has no finding', (name) => {
    expect(scenario(name).findings.map((finding) => `${finding.code}: ${finding.message}`)).toEqual([]);
    expect(scenario(name).passed).toBe(true);
  });

  it.each(Object.keys(STATUS_COUNTS))('%s gets its exact statuses', (name) => {
    expect(statusCounts(scenario(name))).toEqual(STATUS_COUNTS[name]);
  });

  it('sums every scenario in the summary', () => {
    const attempts = result.scenarios.reduce((sum, item) => sum + item.attempts.length, 0);
    expect(result.summary).toEqual({
      scenarios: SCENARIOS.length,
      passed: SCENARIOS.length,
      failed: 0,
      attempts,
      unhandledRejections: 0,
      uncaughtExceptions: 0,
    });
  });

  it('uses embedded Postgres and the built-in proxy', () => {
    expect(result.backends.postgres.kind).toBe('embedded');
    expect(result.backends.toxiproxy.kind).toBe('builtin');
  });
});

describe('reports of the default suite', () => {
  it('saves results.json and points latest at the run', async () => {
    const saved = JSON.parse(await readFile(path.join(runDir, 'results.json'), 'utf8'));
    expect(saved.runId).toBe(result.runId);
    expect(await readlink(path.join(reportsDir, 'latest'))).toBe(result.runId);
  });

  it('counts every scenario in junit.xml', async () => {
    const junit = await readFile(path.join(runDir, 'junit.xml'), 'utf8');
    expect(junit).toContain(`tests="${SCENARIOS.length}" failures="0"`);
  });
});

describe('token and origin checks', () => {
  it('failing-tokens gives each class its status', () => {
    const statusOf = (tokenClass: string) =>
      scenario('failing-tokens').attempts.filter((attempt) => attempt.tokenClass === tokenClass).map((attempt) => attempt.status);
    expect(statusOf('valid')).toEqual([101, 101, 101]);
    expect(statusOf('missing')).toEqual([401, 401, 401]);
    expect(statusOf('bad-signature')).toEqual([401, 401, 401]);
    expect(statusOf('expired')).toEqual([401, 401, 401]);
    expect(statusOf('revoked')).toEqual([403, 403, 403]);
    expect(statusOf('disabled-user')).toEqual([403, 403, 403]);
  });

  it('token-attacks gives each class its status', () => {
    expect(classCounts('token-attacks')).toEqual({
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
    expect(classCounts('algorithm-pinning')).toEqual({
      'alg-none:401': 5,
      'alg-confusion:401': 5,
      'alg-edited:401': 5,
      'valid:101': 5,
    });
  });

  it('origin-allow-list rejects the foreign origin first', () => {
    expect(classCounts('origin-allow-list')).toEqual({ 'valid:403': 5, 'missing:403': 3, 'valid:101': 8 });
  });

  it('token scenarios make 86 attempts', () => {
    const names = ['token-attacks', 'algorithm-pinning', 'origin-allow-list'];
    expect(names.reduce((sum, name) => sum + scenario(name).attempts.length, 0)).toBe(86);
  });
});

describe('verification deadline and aborts', () => {
  it('verification-timeout answers 503 with Retry-After', () => {
    expect(statuses('verification-timeout')).toEqual(repeat(503, 5));
    expect(scenario('verification-timeout').attempts.every((attempt) => attempt.retryAfter !== null)).toBe(true);
  });

  it('client-abort-mid-verification leaves no note', () => {
    expect(scenario('client-abort-mid-verification').notes ?? []).toEqual([]);
  });
});

describe('database and raw TCP faults', () => {
  it.each(['reset-in-async-window', 'handshake-fuzz', 'db-failover-checked-out', 'connect-timeout-waves', 'db-reset-mid-query', 'db-outage'])(
    '%s stops the target on request',
    (name) => {
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

describe('phase timings', () => {
  // slow-phase-matrix: four rounds of five, each phase reported, the slowed one per round.
  it('slow-phase-matrix reports every phase', () => {
    const attempts = scenario('slow-phase-matrix').attempts;
    expect(attempts.map((attempt) => attempt.status)).toEqual(repeat(101, 20));
    expect(attempts.every((attempt) => Object.keys(attempt.phases ?? {}).join() === 'token,limit,lookup')).toBe(true);
  });

  it('slow-phase-matrix slows one phase per round', () => {
    const attempts = scenario('slow-phase-matrix').attempts;
    const slowLookup = attempts.slice(5, 10);
    const slowLimit = attempts.slice(10, 15);
    const slowToken = attempts.slice(15, 20);
    expect(slowLookup.every((attempt) => (attempt.phases?.lookup ?? 0) >= 400)).toBe(true);
    expect(slowLimit.every((attempt) => (attempt.phases?.limit ?? 0) >= 400)).toBe(true);
    expect(slowToken.every((attempt) => (attempt.phases?.token ?? 0) >= 400)).toBe(true);
    // The other links carried no toxic, so their phases stay far below the 500 ms latency.
    for (const [round, phases] of [
      [slowLookup, ['token', 'limit']],
      [slowLimit, ['token', 'lookup']],
      [slowToken, ['limit', 'lookup']],
    ] as const) {
      for (const phase of phases) expect(medianPhase(round, phase)).toBeLessThan(250);
    }
  });
});

describe('restart and reconnect', () => {
  // restart-reconnect-storm: 200 clients, each with a first session closed by the restart and a
  // last session of its own on the new process.
  function attemptsByClient(): Map<number, AttemptRecord[]> {
    const byClient = new Map<number, AttemptRecord[]>();
    for (const attempt of scenario('restart-reconnect-storm').attempts) {
      const client = attempt.reconnect?.client ?? 0;
      byClient.set(client, [...(byClient.get(client) ?? []), attempt]);
    }
    return byClient;
  }

  it('restart-reconnect-storm runs 200 clients', () => {
    const byClient = attemptsByClient();
    expect(byClient.size).toBe(200);
    expect([...byClient.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('restart-reconnect-storm reconnects every client', () => {
    const tries = scenario('restart-reconnect-storm').attempts;
    const firsts = tries.filter((attempt) => attempt.reconnect?.tryNumber === 1);
    expect(firsts).toHaveLength(200);
    expect(firsts.every((attempt) => attempt.status === 101 && attempt.closeCode === 1001 && attempt.closedBy === 'server')).toBe(true);
    const lasts = [...attemptsByClient().values()].map((list) => list.at(-1));
    expect(lasts.every((attempt) => attempt?.status === 101 && attempt.closeCode === 1000 && attempt.closedBy === 'client')).toBe(true);
    const between = tries.filter((attempt) => !firsts.includes(attempt) && !lasts.includes(attempt));
    expect(between.filter((attempt) => attempt.status !== 503 && attempt.error !== 'ECONNREFUSED')).toEqual([]);
    expect(tries.every((attempt) => attempt.verdict === 'ok')).toBe(true);
    expect(tries.length).toBe(400 + between.length);
  });

  it('restart-reconnect-storm restarts the target once', () => {
    const restartEvents = scenario('restart-reconnect-storm').events.filter((event) => event.kind === 'restart-target');
    expect(restartEvents).toHaveLength(2);
    expect(restartEvents[1]?.detail).toMatch(/^pid \d+ exited with code 0 after \d+ ms; pid \d+ ready on port \d+ after \d+ ms$/);
  });
});
