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
import clientAbortMidVerification from '../scenarios/client-abort-mid-verification.ts';
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
    // The server neither responds to the hung upgrades nor destroys their sockets, so they stay open: `leak`.
    expect(codesByScenario(result)).toEqual({ 'failing-tokens-3s': ['hung-upgrade', 'leak', 'unhandled-rejection'] });
    const leaks = result.scenarios[0]?.findings.filter((finding) => finding.code === 'leak') ?? [];
    expect(leaks.map((finding) => finding.message.split(':')[0])).toEqual(['active TCPSocketWrap handles in the target']);
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
    // The crash ended the disabled link's traffic, so its empty byte window is a note, not a finding.
    expect(result.scenarios[0]?.notes).toEqual([
      'proxy disabled saw no bytes, but the target exited while it was in effect, so it was not judged.',
      'The leak check was skipped: the target exited during the scenario.',
    ]);
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
    // No attempt got a response, so the scenario's minResponseMs had no samples: `no-samples`.
    expect(codesByScenario(result)).toEqual({ 'verification-timeout-4s': ['hung-upgrade', 'no-samples'] });
    expect(statusesOf(result, 'verification-timeout-4s', 'valid')).toEqual([null, null, null, null, null]);
  }, CASE_TIMEOUT_MS);

  it('rate-limit-race: burst passes the limit', async () => {
    const result = await runGallery(path.join(GALLERY, 'rate-limit-race/target.json'), [rateLimitSlowLookup]);
    expect(codesByScenario(result)).toEqual({ 'rate-limit-slow-lookup': ['outcome-count', 'outcome-count'] });
    const statuses = result.scenarios[0]?.attempts.map((attempt) => attempt.status) ?? [];
    expect(statuses.filter((status) => status === 101).length).toBeGreaterThan(5);
  }, CASE_TIMEOUT_MS);

  it('abort-leaks-pool-client: pool clients leak', async () => {
    const result = await runGallery(path.join(GALLERY, 'abort-leaks-pool-client/target.json'), [
      clientAbortMidVerification,
    ]);
    const scenario = result.scenarios[0];
    expect(codesByScenario(result)).toEqual({ 'client-abort-mid-verification': ['hung-upgrade', 'leak', 'leak'] });
    const attempts = scenario?.attempts ?? [];
    expect(attempts.slice(10, 20).map((attempt) => [attempt.status, attempt.aborted, attempt.verdict])).toEqual(
      Array.from({ length: 10 }, () => [null, true, 'ok']),
    );
    expect(attempts.slice(20).map((attempt) => attempt.status)).toEqual([null, null, null, null, null]);
    const leaks = scenario?.findings.filter((finding) => finding.code === 'leak').map((finding) => finding.message) ?? [];
    // All ten pool clients stay checked out; the baseline is the readiness check's one client.
    expect(leaks[0]).toMatch(/^Postgres sessions of the target on database \S+: 10 at the end, 1 at the baseline, \d+ ms after the last attempt ended$/);
    expect(leaks[1]).toMatch(/^active TCPSocketWrap handles in the target: \d+ at the end, \d+ at the baseline/);
  }, CASE_TIMEOUT_MS);

  // The unchanged gallery scenarios run on the reference server in the default-suite file, so
  // only the variants with shorter attempt timeouts run here.
  it('reference server: short waits pass', async () => {
    const result = await runGallery(path.join(ROOT, 'targets/reference.ts'), [
      failingTokensShortWait,
      verificationTimeoutShortWait,
    ]);
    expect(codesByScenario(result)).toEqual({
      'failing-tokens-3s': [],
      'verification-timeout-4s': [],
    });
    expect(result.scenarios.map((scenario) => scenario.notes ?? [])).toEqual([[], []]);
  }, CASE_TIMEOUT_MS);
});
