import type { Finding, FindingCode } from '../checks/finding-codes.ts';
import { FUZZ_KINDS, generateFuzzRequests, type FuzzKind, type FuzzRequest } from '../clients/fuzz-requests.ts';
import { exchangeRaw, type RawEndpoint, type RawExchangeResult } from '../clients/raw-request.ts';
import { HarnessError } from '../errors.ts';
import type { HandshakeFuzzStep } from '../model/scenario.ts';
import { createSeededRandom } from '../proxy/seeded-random.ts';

/** Limits that keep one fuzz step bounded in count, concurrency and time. */
const MAX_COUNT = 10_000;
const MAX_CONCURRENCY = 200;
const DEFAULT_CONCURRENCY = 20;
const DEFAULT_TIMEOUT_MS = 5_000;

/** Time after which a fuzz step sends no further request, in ms; the rest count as unsent. */
const MAX_DURATION_MS = 120_000;

/** Requests quoted per finding, so one broken kind cannot flood the report. */
const MAX_EVIDENCE = 5;

/** Outcome class of one fuzz request. */
type FuzzVerdict = 'rejected' | 'closed' | 'server-error' | 'accepted' | 'other-status' | 'hung' | 'connect-failed';

/** Result of one fuzz step: the per-kind tally for the timeline and the findings. */
export interface HandshakeFuzzResult {
  /** One line, for example `1000 requests (seed 7): 953 rejected with 4xx, 47 closed`. */
  summary: string;
  findings: Finding[];
  /** Count per verdict, for tests and the report. */
  counts: Record<FuzzVerdict, number>;
}

/**
 * Sends the step's malformed requests to `endpoint` with at most `concurrency` in flight and
 * judges each. A 4xx response or a close passes. A 5xx, another status, or neither within
 * `timeoutMs` is a finding that names the request kind, its index and the seed.
 */
export async function runHandshakeFuzz(
  step: HandshakeFuzzStep,
  endpoint: RawEndpoint,
  validTokens: readonly string[],
): Promise<HandshakeFuzzResult> {
  const { concurrency, timeoutMs } = validateStep(step, endpoint);
  const requests = generateFuzzRequests(step.count, { endpoint, validTokens, random: createSeededRandom(step.seed) });
  const results: { request: FuzzRequest; seen: RawExchangeResult }[] = [];

  let next = 0;
  const deadline = performance.now() + MAX_DURATION_MS;
  const worker = async () => {
    while (next < requests.length && performance.now() < deadline) {
      const request = requests[next];
      next += 1;
      if (request === undefined) return;
      const seen = await exchangeRaw(endpoint, request.bytes, { timeoutMs, endAfterWrite: request.endAfterWrite });
      results.push({ request, seen });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  results.sort((a, b) => a.request.index - b.request.index);
  const outcome = summarise(step, results);
  const unsent = requests.length - results.length;
  if (unsent > 0) {
    outcome.findings.push({
      code: 'fault-not-exercised',
      message: `${unsent} of ${requests.length} malformed upgrade requests were not sent within ${MAX_DURATION_MS} ms; lower count or raise concurrency`,
    });
  }
  return outcome;
}

function validateStep(step: HandshakeFuzzStep, endpoint: RawEndpoint): { concurrency: number; timeoutMs: number } {
  const concurrency = step.concurrency ?? DEFAULT_CONCURRENCY;
  const timeoutMs = step.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const invalid = (message: string) => new HarnessError('WUC_ERR_SCENARIO_INVALID', `handshake-fuzz: ${message}`);
  if (!Number.isInteger(step.count) || step.count < 1 || step.count > MAX_COUNT) {
    throw invalid(`count ${step.count} is invalid; use a whole number from 1 to ${MAX_COUNT}`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw invalid(`concurrency ${concurrency} is invalid; use a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  if (!Number.isInteger(step.seed)) throw invalid(`seed ${step.seed} is invalid; use a whole number`);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) {
    throw invalid(`timeoutMs ${timeoutMs} is invalid; use 100 to 60000 ms`);
  }
  if (!isLoopback(endpoint.host)) {
    throw invalid(`target host ${endpoint.host} is not a loopback address; fuzzing runs against loopback targets only`);
  }
  return { concurrency, timeoutMs };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function judge(seen: RawExchangeResult): FuzzVerdict {
  if (seen.timedOut) return 'hung';
  if (seen.status === null) {
    const connectFailed = seen.error === 'ECONNREFUSED' || seen.error === 'ETIMEDOUT';
    return connectFailed ? 'connect-failed' : 'closed';
  }
  if (seen.status >= 400 && seen.status < 500) return 'rejected';
  if (seen.status >= 500) return 'server-error';
  return seen.status === 101 ? 'accepted' : 'other-status';
}

const VERDICT_FINDINGS: Partial<Record<FuzzVerdict, { code: FindingCode; what: string }>> = {
  'server-error': { code: 'wrong-status', what: 'got a 5xx instead of a 4xx' },
  'other-status': { code: 'wrong-status', what: 'got a status outside 4xx' },
  accepted: { code: 'unexpected-accept', what: 'were accepted with 101' },
  hung: { code: 'hung-upgrade', what: 'got neither a response nor a close' },
  'connect-failed': { code: 'client-error', what: 'could not connect' },
};

function summarise(step: HandshakeFuzzStep, results: { request: FuzzRequest; seen: RawExchangeResult }[]): HandshakeFuzzResult {
  const counts: Record<FuzzVerdict, number> = {
    rejected: 0, closed: 0, 'server-error': 0, accepted: 0, 'other-status': 0, hung: 0, 'connect-failed': 0,
  };
  const bad = new Map<FuzzVerdict, { request: FuzzRequest; seen: RawExchangeResult }[]>();
  for (const result of results) {
    const verdict = judge(result.seen);
    counts[verdict] += 1;
    if (VERDICT_FINDINGS[verdict] === undefined) continue;
    bad.set(verdict, [...(bad.get(verdict) ?? []), result]);
  }

  const findings: Finding[] = [];
  for (const [verdict, list] of bad) {
    const rule = VERDICT_FINDINGS[verdict];
    if (rule === undefined) continue;
    findings.push({
      code: rule.code,
      message: `${list.length} of ${results.length} malformed upgrade requests (seed ${step.seed}) ${rule.what}; kinds: ${kindsOf(list.map((r) => r.request.kind))}`,
      evidence: list.slice(0, MAX_EVIDENCE).map(({ request, seen }) => describeCase(request, seen)),
    });
  }
  const summary = `${results.length} requests (seed ${step.seed}): ${counts.rejected} rejected with 4xx, ${counts.closed} closed` +
    (findings.length === 0 ? '' : `, ${results.length - counts.rejected - counts.closed} failed`);
  return { summary, findings, counts };
}

function kindsOf(kinds: FuzzKind[]): string {
  const tally = new Map<FuzzKind, number>();
  for (const kind of kinds) tally.set(kind, (tally.get(kind) ?? 0) + 1);
  return FUZZ_KINDS.filter((kind) => tally.has(kind)).map((kind) => `${kind} × ${tally.get(kind)}`).join(', ');
}

function describeCase(request: FuzzRequest, seen: RawExchangeResult): string {
  const answer = seen.statusLine ?? (seen.timedOut ? 'no response or close' : `closed (${seen.error ?? 'no error'})`);
  return `request #${request.index} (${request.kind}, ${request.bytes.length} bytes): ${answer}`;
}
