import type { Finding } from '../checks/finding-codes.ts';
import type { RawEndpoint } from '../clients/raw-request.ts';
import { buildUpgradeRequest } from '../clients/raw-request.ts';
import { sendAndReset } from '../clients/raw-upgrade.ts';
import { HarnessError } from '../errors.ts';
import type { StartedPostgres } from '../model/environment.ts';
import type { HandshakeFuzzStep, RawUpgradeStep } from '../model/scenario.ts';
import type { TargetConfig } from '../model/target-config.ts';
import type { MintedToken } from '../tokens/mint-token.ts';
import { terminateBackends } from './database-admin.ts';
import { runHandshakeFuzz } from './handshake-fuzz.ts';

/** Time a raw client may take to connect, in ms. */
const RAW_CONNECT_TIMEOUT_MS = 5_000;

/** Result of a step that runs outside `openAttempt`, for the timeline. */
export interface RawStepOutcome {
  /** One line for the timeline event. */
  detail: string;
  findings: Finding[];
}

/** Splits a ws:// URL into the host, port and request target raw clients need. */
export function endpointOf(url: string): RawEndpoint {
  const parsed = new URL(url);
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return { host, port: Number(parsed.port), path: `${parsed.pathname}${parsed.search}` };
}

/**
 * Sends one complete upgrade request per token and resets each socket `resetAfterMs` later. A
 * response that arrives before the reset means the reset missed the verification window, so
 * the step did not test what it claims: that is a `fault-not-exercised` finding.
 */
export async function runRawUpgrades(
  step: RawUpgradeStep,
  url: string,
  tokens: MintedToken[],
  target: TargetConfig,
): Promise<RawStepOutcome> {
  if (!Number.isFinite(step.resetAfterMs) || step.resetAfterMs < 0) {
    throw new HarnessError('WUC_ERR_SCENARIO_INVALID', `raw-upgrade: resetAfterMs ${step.resetAfterMs} is invalid; use 0 or more ms`);
  }
  const endpoint = endpointOf(url);
  const results = await Promise.all(
    tokens.map((token) => {
      const request = buildUpgradeRequest(endpoint, token.token, target.tokenTransport, target.tokenParameter);
      return sendAndReset(endpoint, request, step.resetAfterMs, RAW_CONNECT_TIMEOUT_MS);
    }),
  );

  const answered = results.filter((result) => result.responseBeforeReset !== null);
  const failed = results.filter((result) => !result.sent || result.error !== null);
  const findings: Finding[] = [];
  if (answered.length > 0) {
    findings.push({
      code: 'fault-not-exercised',
      message: `${answered.length} of ${results.length} raw upgrade(s) got a response before their reset at ${step.resetAfterMs} ms, so the reset missed verification`,
      evidence: [...new Set(answered.map((result) => result.responseBeforeReset ?? ''))],
    });
  }
  if (failed.length > 0) {
    findings.push({
      code: 'client-error',
      message: `${failed.length} of ${results.length} raw upgrade(s) could not be sent`,
      evidence: [...new Set(failed.map((result) => result.error ?? 'request not written'))],
    });
  }
  const sent = results.length - failed.length;
  return { detail: `${sent} of ${results.length} sent and reset after ${step.resetAfterMs} ms`, findings };
}

/** Terminates the target's database sessions; none to terminate is `fault-not-exercised`. */
export async function runTerminateBackends(postgres: StartedPostgres | undefined): Promise<RawStepOutcome> {
  if (postgres === undefined) {
    throw new HarnessError('WUC_ERR_SCENARIO_INVALID', 'terminate-backends needs the Postgres admin connection; run the scenario through runScenario');
  }
  const terminated = await terminateBackends(postgres.adminUrl);
  const findings: Finding[] =
    terminated === 0
      ? [{ code: 'fault-not-exercised', message: 'terminate-backends found no target session to terminate' }]
      : [];
  return { detail: `terminated ${terminated} session(s)`, findings };
}

/** Runs a fuzz step against the target at `url` with the given valid tokens embedded. */
export async function runFuzzStep(step: HandshakeFuzzStep, url: string, tokens: MintedToken[]): Promise<RawStepOutcome> {
  const validTokens = tokens.flatMap((token) => (token.token === null ? [] : [token.token]));
  const result = await runHandshakeFuzz(step, endpointOf(url), validTokens);
  return { detail: result.summary, findings: result.findings };
}
