import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../harness/model/result.ts';
import type { ScenarioDefinition } from '../harness/model/scenario.ts';
import { runScenarios } from '../harness/runner/run-scenarios.ts';
import { loadTargetConfig } from '../harness/target/load-target-config.ts';
import algorithmPinning from '../scenarios/algorithm-pinning.ts';
import concurrency100 from '../scenarios/concurrency-100.ts';
import databaseDownNoAdmit from '../scenarios/database-down-no-admit.ts';
import failingTokens from '../scenarios/failing-tokens.ts';
import rateLimitSlowLookup from '../scenarios/rate-limit-slow-lookup.ts';
import shutdownMidVerification from '../scenarios/shutdown-mid-verification.ts';
import verificationTimeout from '../scenarios/verification-timeout.ts';

// The detection matrix of docs/gallery.md: each gallery server runs only the scenarios that
// expose its fault, and its findings must be exactly the listed codes.

const GALLERY = fileURLToPath(new URL('./gallery/', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const logger = pino({ level: 'silent' });

/** Time for one server: Postgres start, schema, target start and its scenarios, in ms. */
const CASE_TIMEOUT_MS = 120_000;

/** failing-tokens with a 3 s attempt timeout, so upgrades that never get a response end early. */
const failingTokensShortWait: ScenarioDefinition = {
  ...failingTokens,
  name: 'failing-tokens-3s',
  expect: { attemptTimeoutMs: 3_000 },
};

/**
 * verification-timeout with a 4 s attempt timeout. Without a deadline every upgrade waits at
 * least the 5 s latency, so each one hangs. The seed's 20 s timeout would instead split them
 * into late accepts (on the warm pool client) and hangs (on new connections).
 */
const verificationTimeoutShortWait: ScenarioDefinition = {
  ...verificationTimeout,
  name: 'verification-timeout-4s',
  expect: { attemptTimeoutMs: 4_000 },
};

/**
 * Ten upgrades warm the pool, ten more are abandoned by their clients while the database is
 * slow, and five later upgrades on a healthy database must be accepted. The abandoned ones
 * count as `hung-upgrade` on every server, because the harness cannot abort an attempt on
 * purpose; the accept count tells a server that recovers from one that leaks pool clients.
 */
const abortThenRetry: ScenarioDefinition = {
  name: 'abort-then-retry',
  tags: ['gallery', 'database', 'latency'],
  description: 'Clients abandon ten slow verifications; five later upgrades must still be accepted.',
  timeline: [
    { atMs: 0, action: 'open', count: 10, tokenClass: 'valid' },
    {
      atMs: 500,
      action: 'add-toxic',
      toxic: { name: 'slow-db', type: 'latency', stream: 'downstream', attributes: { latency: 3_000, jitter: 0 } },
    },
    { atMs: 600, action: 'open', count: 10, tokenClass: 'valid' },
    { atMs: 4_500, action: 'remove-toxic', name: 'slow-db' },
    { atMs: 5_000, action: 'open', count: 5, tokenClass: 'valid' },
  ],
  expect: { attemptTimeoutMs: 1_500, outcomeCounts: { accept: 15 } },
};

let reportsDir: string;

beforeAll(async () => {
  reportsDir = await mkdtemp(path.join(tmpdir(), 'wuc-gallery-'));
});

afterAll(async () => {
  await rm(reportsDir, { recursive: true, force: true });
});

async function runGallery(configPath: string, scenarios: ScenarioDefinition[]): Promise<RunResult> {
  const target = await loadTargetConfig(configPath);
  const { result } = await runScenarios({ scenarios, target, reportsDir, seed: 11, logger });
  return result;
}

/** Sorted finding codes per scenario name. */
function codesByScenario(result: RunResult): Record<string, string[]> {
  return Object.fromEntries(
    result.scenarios.map((scenario) => [scenario.name, scenario.findings.map((finding) => finding.code).sort()]),
  );
}

function statusesOf(result: RunResult, scenarioName: string, tokenClass: string): (number | null)[] {
  const scenario = result.scenarios.find((candidate) => candidate.name === scenarioName);
  return (scenario?.attempts ?? []).filter((attempt) => attempt.tokenClass === tokenClass).map((a) => a.status);
}

describe('gallery detection matrix', () => {
  it('async-verify-client-logged: bad tokens hang', async () => {
    const result = await runGallery(path.join(GALLERY, 'async-verify-client-logged/target.json'), [
      failingTokensShortWait,
    ]);
    expect(codesByScenario(result)).toEqual({ 'failing-tokens-3s': ['hung-upgrade', 'unhandled-rejection'] });
    expect(statusesOf(result, 'failing-tokens-3s', 'bad-signature')).toEqual([null, null, null]);
    expect(statusesOf(result, 'failing-tokens-3s', 'valid')).toEqual([101, 101, 101]);
    expect(result.summary.unhandledRejections).toBe(18);
    // The process stayed up until the harness stopped it: the logger swallowed every rejection.
    expect(result.scenarios[0]?.exit?.requested).toBe(true);
  }, CASE_TIMEOUT_MS);

  it('double-callback: accepts without a welcome', async () => {
    const result = await runGallery(path.join(GALLERY, 'double-callback/target.json'), [failingTokens]);
    expect(codesByScenario(result)).toEqual({ 'failing-tokens': ['identity-mismatch'] });
    const valid = result.scenarios[0]?.attempts.filter((attempt) => attempt.tokenClass === 'valid') ?? [];
    expect(valid.map((attempt) => [attempt.status, attempt.identity, attempt.closeCode])).toEqual([
      [101, null, 1006],
      [101, null, 1006],
      [101, null, 1006],
    ]);
  }, CASE_TIMEOUT_MS);

  it('shared-current-user: identities get swapped', async () => {
    const result = await runGallery(path.join(GALLERY, 'shared-current-user/target.json'), [concurrency100]);
    expect(codesByScenario(result)).toEqual({ 'concurrency-100': ['identity-mismatch'] });
    const mismatched = result.scenarios[0]?.attempts.filter((attempt) => attempt.verdict === 'identity-mismatch');
    expect(mismatched?.length).toBeGreaterThan(0);
  }, CASE_TIMEOUT_MS);

  it('pool-without-error-handler: idle reset crashes', async () => {
    const result = await runGallery(path.join(GALLERY, 'pool-without-error-handler/target.json'), [
      databaseDownNoAdmit,
    ]);
    expect(codesByScenario(result)).toEqual({
      'database-down-no-admit': ['client-error', 'crash', 'uncaught-exception'],
    });
    expect(result.scenarios[0]?.exit?.requested).toBe(false);
    expect(result.scenarios[0]?.probe?.crash?.message).toBe('Connection terminated unexpectedly');
    // The idle client from the readiness check dies first, so no upgrade reaches a live process.
    const errors = new Set(result.scenarios[0]?.attempts.map((attempt) => attempt.error));
    expect([...errors]).toEqual(['ECONNREFUSED']);
  }, CASE_TIMEOUT_MS);

  it('exit-on-sigterm: resets pending, 1006 open', async () => {
    const result = await runGallery(path.join(GALLERY, 'exit-on-sigterm/target.json'), [shutdownMidVerification]);
    expect(codesByScenario(result)).toEqual({ 'shutdown-mid-verification': ['abnormal-closure', 'client-error'] });
    expect(result.scenarios[0]?.exit?.code).toBe(0);
  }, CASE_TIMEOUT_MS);

  it('token-error-500: bad tokens get 500', async () => {
    const result = await runGallery(path.join(GALLERY, 'token-error-500/target.json'), [failingTokens]);
    expect(codesByScenario(result)).toEqual({ 'failing-tokens': ['wrong-status'] });
    expect(statusesOf(result, 'failing-tokens', 'bad-signature')).toEqual([500, 500, 500]);
    expect(statusesOf(result, 'failing-tokens', 'missing')).toEqual([401, 401, 401]);
    const wrong = result.scenarios[0]?.attempts.filter((attempt) => attempt.verdict === 'wrong-status');
    expect(wrong?.length).toBe(18);
  }, CASE_TIMEOUT_MS);

  it('alg-from-header: forged algorithms accepted', async () => {
    const result = await runGallery(path.join(GALLERY, 'alg-from-header/target.ts'), [algorithmPinning]);
    expect(codesByScenario(result)).toEqual({ 'algorithm-pinning': ['unexpected-accept'] });
    expect(statusesOf(result, 'algorithm-pinning', 'alg-none')).toEqual([101, 101, 101, 101, 101]);
    expect(statusesOf(result, 'algorithm-pinning', 'alg-confusion')).toEqual([101, 101, 101, 101, 101]);
    expect(statusesOf(result, 'algorithm-pinning', 'alg-edited')).toEqual([401, 401, 401, 401, 401]);
    expect(statusesOf(result, 'algorithm-pinning', 'valid')).toEqual([101, 101, 101, 101, 101]);
  }, CASE_TIMEOUT_MS);

  it('no-verify-deadline: upgrades hang on slow database', async () => {
    const result = await runGallery(path.join(GALLERY, 'no-verify-deadline/target.json'), [
      verificationTimeoutShortWait,
    ]);
    expect(codesByScenario(result)).toEqual({ 'verification-timeout-4s': ['hung-upgrade'] });
    expect(statusesOf(result, 'verification-timeout-4s', 'valid')).toEqual([null, null, null, null, null]);
  }, CASE_TIMEOUT_MS);

  it('rate-limit-race: burst passes the limit', async () => {
    const result = await runGallery(path.join(GALLERY, 'rate-limit-race/target.json'), [rateLimitSlowLookup]);
    expect(codesByScenario(result)).toEqual({ 'rate-limit-slow-lookup': ['outcome-count', 'outcome-count'] });
    const statuses = result.scenarios[0]?.attempts.map((attempt) => attempt.status) ?? [];
    expect(statuses.filter((status) => status === 101).length).toBeGreaterThan(5);
  }, CASE_TIMEOUT_MS);

  it('abort-leaks-pool-client: later upgrades hang', async () => {
    const result = await runGallery(path.join(GALLERY, 'abort-leaks-pool-client/target.json'), [abortThenRetry]);
    expect(codesByScenario(result)).toEqual({ 'abort-then-retry': ['hung-upgrade', 'outcome-count'] });
    const statuses = result.scenarios[0]?.attempts.map((attempt) => attempt.status) ?? [];
    expect(statuses.slice(20)).toEqual([null, null, null, null, null]);
  }, CASE_TIMEOUT_MS);

  it('reference server: gallery scenarios pass', async () => {
    const result = await runGallery(path.join(ROOT, 'targets/reference.ts'), [
      failingTokensShortWait,
      verificationTimeoutShortWait,
      abortThenRetry,
    ]);
    expect(codesByScenario(result)).toEqual({
      'failing-tokens-3s': [],
      'verification-timeout-4s': [],
      // The abandoned attempts are hung by design; the five later upgrades are accepted.
      'abort-then-retry': ['hung-upgrade'],
    });
  }, CASE_TIMEOUT_MS);
});
