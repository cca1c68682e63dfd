import type { AttemptRecord } from '../model/attempt.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import type { Finding } from './finding-codes.ts';

type Observed = Pick<AttemptRecord, 'id' | 'status' | 'responseMs'>;

/**
 * Finds gates that had nothing to measure, so they cannot pass: exact outcome counts when no
 * attempt got a response or open, and a `minResponseMs` whose attempts all went without a
 * response. Without this, a count of 0 or a minimum would pass on an empty sample.
 */
export function checkGateSamples(
  attempts: readonly Observed[],
  expected: ScenarioDefinition['expect'],
  minimums: readonly { attemptIds: string[]; minResponseMs: number }[],
): Finding[] {
  const findings: Finding[] = [];
  const counted = Object.keys(expected?.outcomeCounts ?? {});
  if (counted.length > 0 && !attempts.some((attempt) => attempt.status !== null)) {
    findings.push({
      code: 'no-samples',
      message: `expect.outcomeCounts gates ${counted.join(', ')}, but none of the ${attempts.length} attempt(s) got a response or open`,
      attemptIds: attempts.map((attempt) => attempt.id),
    });
  }
  const byId = new Map(attempts.map((attempt) => [attempt.id, attempt]));
  for (const { attemptIds, minResponseMs } of minimums) {
    const measured = attemptIds.filter((id) => typeof byId.get(id)?.responseMs === 'number');
    if (measured.length > 0) continue;
    findings.push({
      code: 'no-samples',
      message: `minResponseMs ${minResponseMs} ms had no samples: none of its ${attemptIds.length} attempt(s) got a response or open`,
      attemptIds,
    });
  }
  return findings;
}
