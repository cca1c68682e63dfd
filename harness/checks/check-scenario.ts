import type { AttemptRecord, Verdict } from '../model/attempt.ts';
import type { ProbeEvent, ProbeReport, TargetExit } from '../model/target.ts';
import type { Finding, FindingCode } from './finding-codes.ts';

/** Everything one scenario run produced that the checks look at. */
export interface ScenarioEvidence {
  attempts: AttemptRecord[];
  probe: ProbeReport | null;
  /** The target's exit; null when it was still running when the scenario ended. */
  exit: TargetExit | null;
  /** Whether the scenario itself sent the target a shutdown signal. */
  signalled: boolean;
  expectedExitCode: number | null;
  graceMs: number;
  /** Attempts of open steps with a minimum response time, with that minimum. */
  minimums: { attemptIds: string[]; minResponseMs: number }[];
  /** Timeline conditions that timed out, one sentence each. */
  unmetConditions: string[];
  /** Lines from the target log to show with crash findings. */
  logTail: string[];
}

const VERDICT_FINDINGS: Partial<Record<Verdict, FindingCode>> = {
  hung: 'hung-upgrade',
  'wrong-status': 'wrong-status',
  'unexpected-accept': 'unexpected-accept',
  'wrong-close-code': 'wrong-close-code',
  'unclean-close': 'abnormal-closure',
  'identity-mismatch': 'identity-mismatch',
  'slow-response': 'slow-reject',
  'client-error': 'client-error',
};

/** Margin on top of the grace period for process exit bookkeeping, in ms. */
const EXIT_MARGIN_MS = 1_000;

/** Turns one scenario's evidence into findings; an empty list means the scenario passed. */
export function checkScenario(evidence: ScenarioEvidence): Finding[] {
  return [
    ...checkProbe(evidence.probe),
    ...checkExit(evidence),
    ...checkVerdicts(evidence.attempts),
    ...checkMinimums(evidence),
    ...evidence.unmetConditions.map((message) => ({ code: 'condition-not-met' as const, message })),
    ...checkSamples(evidence.attempts),
  ];
}

function checkProbe(probe: ProbeReport | null): Finding[] {
  if (probe === null) return [];
  const findings: Finding[] = [];
  const rejections = probe.unhandledRejections;
  if (rejections.length > 0) {
    findings.push({
      code: 'unhandled-rejection',
      message: `${rejections.length} unhandled rejection(s) in the target`,
      evidence: rejections.map(describeEvent),
    });
  }
  const exceptions = probe.uncaughtExceptions.filter((event) => event.origin === 'uncaughtException');
  if (exceptions.length > 0) {
    findings.push({
      code: 'uncaught-exception',
      message: `${exceptions.length} uncaught exception(s) in the target`,
      evidence: exceptions.map(describeEvent),
    });
  }
  return findings;
}

function describeEvent(event: ProbeEvent): string {
  return event.stack ?? `${event.name}: ${event.message}`;
}

function checkExit(evidence: ScenarioEvidence): Finding[] {
  const { exit } = evidence;
  if (exit === null) return [];
  if (!exit.requested) {
    const how = exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
    const cause = evidence.probe?.crash ?? null;
    const causeLines = cause === null ? [] : [`crash cause (${cause.origin}): ${describeEvent(cause)}`];
    return [
      {
        code: 'crash',
        message: `target exited with ${how} while running`,
        evidence: [...causeLines, ...evidence.logTail],
      },
    ];
  }
  if (!evidence.signalled || evidence.expectedExitCode === null) return [];

  const findings: Finding[] = [];
  if (exit.code !== evidence.expectedExitCode) {
    const how = exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
    findings.push({
      code: 'exit-code',
      message: `target exited with ${how}; expected code ${evidence.expectedExitCode}`,
      evidence: evidence.logTail,
    });
  }
  const afterMs = exit.afterSignalMs ?? 0;
  if (afterMs > evidence.graceMs + EXIT_MARGIN_MS) {
    findings.push({
      code: 'slow-shutdown',
      message: `target exited ${Math.round(afterMs)} ms after the signal; grace period ${evidence.graceMs} ms`,
    });
  }
  return findings;
}

function checkVerdicts(attempts: AttemptRecord[]): Finding[] {
  const byCode = new Map<FindingCode, AttemptRecord[]>();
  for (const attempt of attempts) {
    const code = VERDICT_FINDINGS[attempt.verdict];
    if (code === undefined) continue;
    const list = byCode.get(code) ?? [];
    list.push(attempt);
    byCode.set(code, list);
  }
  return [...byCode].map(([code, list]) => ({
    code,
    message: `${list.length} of ${attempts.length} attempt(s): ${summariseDetails(list, code)}`,
    attemptIds: list.map((attempt) => attempt.id),
  }));
}

/** Distinct details shown in a grouped finding's message before the rest are counted. */
const SHOWN_DETAILS = 3;

/**
 * Summarises the details of a finding's attempts, most frequent first, each with its count when
 * more than one attempt shares it, so a group of mixed causes does not read as its first one.
 */
export function summariseDetails(list: AttemptRecord[], fallback: string): string {
  const counts = new Map<string, number>();
  for (const attempt of list) {
    const detail = attempt.detail ?? fallback;
    counts.set(detail, (counts.get(detail) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const listed = ranked.slice(0, SHOWN_DETAILS).map(([detail, count]) => (count > 1 ? `${detail} (×${count})` : detail));
  const hidden = ranked.length - SHOWN_DETAILS;
  if (hidden > 0) listed.push(`${hidden} other detail(s)`);
  return listed.join(' / ');
}

function checkMinimums(evidence: ScenarioEvidence): Finding[] {
  const byId = new Map(evidence.attempts.map((attempt) => [attempt.id, attempt]));
  const findings: Finding[] = [];
  for (const { attemptIds, minResponseMs } of evidence.minimums) {
    const early = attemptIds.filter((id) => {
      const responseMs = byId.get(id)?.responseMs;
      return responseMs !== null && responseMs !== undefined && responseMs < minResponseMs;
    });
    if (early.length === 0) continue;
    findings.push({
      code: 'fault-not-exercised',
      message: `${early.length} attempt(s) got a response before ${minResponseMs} ms, so the fault did not delay them`,
      attemptIds: early,
    });
  }
  return findings;
}

function checkSamples(attempts: AttemptRecord[]): Finding[] {
  if (attempts.length > 0) return [];
  return [{ code: 'no-samples', message: 'the scenario made no connection attempt' }];
}
