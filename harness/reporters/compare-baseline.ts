import type { FindingCode } from '../checks/finding-codes.ts';
import type { RunResult } from '../model/result.ts';
import { computeAttemptLatency } from './latency-stats.ts';

/**
 * A scenario's p90 handshake latency regressed when it grew by more than this ratio AND by more
 * than this many ms. The ratio alone flags noise on fast scenarios (4 ms to 6 ms), and the
 * difference alone flags noise on slow ones (5000 ms to 5060 ms).
 */
export const LATENCY_REGRESSION_RULE = Object.freeze({ ratio: 1.2, minDeltaMs: 50 });

/** A run to compare against, and where it came from. */
export interface BaselineRun {
  result: RunResult;
  /** Path of its results.json. */
  source: string;
}

/** The baseline the reports use, or null with the reason there is none. */
export interface BaselineChoice {
  run: BaselineRun | null;
  /** Reason this baseline was chosen, or the reason there is none, in one sentence. */
  note: string;
}

export interface FindingKey {
  scenario: string;
  code: FindingCode;
  message: string;
}

export interface LatencyComparison {
  scenario: string;
  baselineP90Ms: number;
  currentP90Ms: number;
  regressed: boolean;
}

export interface BaselineComparison {
  baselineRunId: string;
  baselineStartedAt: string;
  source: string;
  /** Findings whose scenario and code pair the baseline does not have. */
  newFindings: FindingKey[];
  /** Scenario and code pairs of the baseline that this run no longer has. */
  resolvedFindings: FindingKey[];
  latency: LatencyComparison[];
  /** Scenarios run now but not in the baseline; their findings all count as new. */
  addedScenarios: string[];
}

export function compareWithBaseline(current: RunResult, baseline: BaselineRun): BaselineComparison {
  const before = findingKeys(baseline.result);
  const now = findingKeys(current);
  const beforeKeys = new Set(before.map(keyOf));
  const nowKeys = new Set(now.map(keyOf));
  const ranNow = new Set(current.scenarios.map((scenario) => scenario.name));
  const ranBefore = new Set(baseline.result.scenarios.map((scenario) => scenario.name));
  return {
    baselineRunId: baseline.result.runId,
    baselineStartedAt: baseline.result.startedAt,
    source: baseline.source,
    newFindings: uniqueByKey(now.filter((finding) => !beforeKeys.has(keyOf(finding)))),
    resolvedFindings: uniqueByKey(before.filter((finding) => ranNow.has(finding.scenario) && !nowKeys.has(keyOf(finding)))),
    latency: compareLatency(current, baseline.result),
    addedScenarios: [...ranNow].filter((name) => !ranBefore.has(name)),
  };
}

/** Applies LATENCY_REGRESSION_RULE to two p90 values in ms. */
export function isLatencyRegression(baselineP90Ms: number, currentP90Ms: number): boolean {
  const { ratio, minDeltaMs } = LATENCY_REGRESSION_RULE;
  return currentP90Ms > baselineP90Ms * ratio && currentP90Ms - baselineP90Ms > minDeltaMs;
}

function compareLatency(current: RunResult, baseline: RunResult): LatencyComparison[] {
  const rows: LatencyComparison[] = [];
  for (const scenario of current.scenarios) {
    const before = baseline.scenarios.find((candidate) => candidate.name === scenario.name);
    const baselineStats = before === undefined ? null : computeAttemptLatency(before.attempts);
    const currentStats = computeAttemptLatency(scenario.attempts);
    if (baselineStats === null || currentStats === null) continue;
    rows.push({
      scenario: scenario.name,
      baselineP90Ms: baselineStats.p90Ms,
      currentP90Ms: currentStats.p90Ms,
      regressed: isLatencyRegression(baselineStats.p90Ms, currentStats.p90Ms),
    });
  }
  return rows;
}

function findingKeys(result: RunResult): FindingKey[] {
  return result.scenarios.flatMap((scenario) =>
    scenario.findings.map((finding) => ({ scenario: scenario.name, code: finding.code, message: finding.message })),
  );
}

function keyOf(finding: FindingKey): string {
  return `${finding.scenario}\u0000${finding.code}`;
}

function uniqueByKey(findings: FindingKey[]): FindingKey[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = keyOf(finding);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
