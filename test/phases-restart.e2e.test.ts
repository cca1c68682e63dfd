import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../harness/model/attempt.ts';
import { runScenarios } from '../harness/runner/run-scenarios.ts';
import { loadTargetConfig } from '../harness/target/load-target-config.ts';
import restartReconnectStorm from '../scenarios/restart-reconnect-storm.ts';
import slowPhaseMatrix from '../scenarios/slow-phase-matrix.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const logger = pino({ level: 'silent' });
let reportsDir: string;

beforeAll(async () => {
  reportsDir = await mkdtemp(path.join(tmpdir(), 'wuc-e2e-phases-'));
});

afterAll(async () => {
  await rm(reportsDir, { recursive: true, force: true });
});

/** Median of one phase over `attempts`; NaN when none reported it. */
function medianPhase(attempts: readonly AttemptRecord[], phase: string): number {
  const values = attempts.flatMap((attempt) => (attempt.phases?.[phase] === undefined ? [] : [attempt.phases[phase]]));
  const sorted = values.sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('phase timings and restart on the reference server', () => {
  it('passes slow-phase-matrix and restart-reconnect-storm', async () => {
    const target = await loadTargetConfig(path.join(ROOT, 'targets/reference.ts'));
    const { result } = await runScenarios({
      scenarios: [slowPhaseMatrix, restartReconnectStorm],
      target,
      reportsDir,
      seed: 11,
      logger,
    });

    const [matrix, storm] = result.scenarios;
    expect(matrix?.findings).toEqual([]);
    expect(storm?.findings).toEqual([]);
    expect(result.summary.failed).toBe(0);
    expect(result.summary.unhandledRejections).toBe(0);
    expect(result.summary.uncaughtExceptions).toBe(0);

    // slow-phase-matrix: four rounds of five, each phase reported, the slowed one per round.
    const attempts = matrix?.attempts ?? [];
    expect(attempts.map((attempt) => attempt.status)).toEqual(Array.from({ length: 20 }, () => 101));
    expect(attempts.every((attempt) => Object.keys(attempt.phases ?? {}).join() === 'token,limit,lookup')).toBe(true);
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

    // restart-reconnect-storm: 200 clients, each with a first session closed by the restart
    // and a last session of its own on the new process.
    const tries = storm?.attempts ?? [];
    const byClient = new Map<number, AttemptRecord[]>();
    for (const attempt of tries) {
      const client = attempt.reconnect?.client ?? 0;
      byClient.set(client, [...(byClient.get(client) ?? []), attempt]);
    }
    expect(byClient.size).toBe(200);
    expect([...byClient.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const firsts = tries.filter((attempt) => attempt.reconnect?.tryNumber === 1);
    expect(firsts).toHaveLength(200);
    expect(firsts.every((attempt) => attempt.status === 101 && attempt.closeCode === 1001 && attempt.closedBy === 'server')).toBe(true);
    const lasts = [...byClient.values()].map((list) => list.at(-1));
    expect(lasts.every((attempt) => attempt?.status === 101 && attempt.closeCode === 1000 && attempt.closedBy === 'client')).toBe(true);
    const between = tries.filter((attempt) => !firsts.includes(attempt) && !lasts.includes(attempt));
    expect(between.filter((attempt) => attempt.status !== 503 && attempt.error !== 'ECONNREFUSED')).toEqual([]);
    expect(tries.every((attempt) => attempt.verdict === 'ok')).toBe(true);
    expect(tries.length).toBe(400 + between.length);

    const restartEvents = (storm?.events ?? []).filter((event) => event.kind === 'restart-target');
    expect(restartEvents).toHaveLength(2);
    expect(restartEvents[1]?.detail).toMatch(/^pid \d+ exited with code 0 after \d+ ms; pid \d+ ready on port \d+ after \d+ ms$/);
  }, 120_000);
});
