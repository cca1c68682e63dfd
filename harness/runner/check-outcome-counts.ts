import type { Finding } from '../checks/finding-codes.ts';
import type { AttemptRecord } from '../model/attempt.ts';
import { REJECTION_CLASSES, type TargetPolicy } from '../model/policy.ts';
import type { OutcomeKey, ScenarioDefinition } from '../model/scenario.ts';

type Observed = Pick<AttemptRecord, 'id' | 'status'>;

/**
 * Names an attempt's outcome as an `OutcomeKey`. Several classes can share one status (401 for
 * missing, invalid and expired), so a class the scenario counts wins over the others.
 */
export function outcomeKeyOf(attempt: Observed, policy: TargetPolicy, counted: readonly string[]): string {
  if (attempt.status === null) return 'none';
  if (attempt.status === 101) return 'accept';
  const keys = REJECTION_CLASSES.filter((c) => policy.statuses[c] === attempt.status).map((c): OutcomeKey => `reject:${c}`);
  return keys.find((key) => counted.includes(key)) ?? keys[0] ?? `status:${attempt.status}`;
}

/** Compares the scenario's exact outcome counts with the attempts; one finding per wrong count. */
export function checkOutcomeCounts(
  attempts: readonly Observed[],
  policy: TargetPolicy,
  expected: ScenarioDefinition['expect'] = {},
): Finding[] {
  const wanted = Object.entries(expected.outcomeCounts ?? {});
  if (wanted.length === 0) return [];
  const counted = wanted.map(([key]) => key);
  const byKey = new Map<string, string[]>();
  for (const attempt of attempts) {
    const key = outcomeKeyOf(attempt, policy, counted);
    byKey.set(key, [...(byKey.get(key) ?? []), attempt.id]);
  }
  const tally = [...byKey].map(([key, ids]) => `${key}: ${ids.length}`).join(', ');
  return wanted
    .filter(([key, count]) => (byKey.get(key)?.length ?? 0) !== count)
    .map(([key, count]) => ({
      code: 'outcome-count' as const,
      message: `${byKey.get(key)?.length ?? 0} attempt(s) with outcome ${key}; expected exactly ${count} (${tally})`,
      attemptIds: byKey.get(key) ?? [],
    }));
}
