import type { Finding } from '../checks/finding-codes.ts';
import type { AttemptRecord } from '../model/attempt.ts';

/** The attempts of one open step with `minPhaseMs`, and those minimums. */
export interface PhaseMinimum {
  attemptIds: string[];
  minPhaseMs: Record<string, number>;
}

type Observed = Pick<AttemptRecord, 'id' | 'phases'>;

/**
 * Checks every attempt of each step against the step's `minPhaseMs`. One `fault-not-exercised`
 * finding per step and phase names the attempts whose phase was shorter or absent: an absent
 * phase (no `Server-Timing`, or a rejection before the phase) proves no delay either.
 */
export function checkPhaseMinimums(attempts: readonly Observed[], minimums: readonly PhaseMinimum[]): Finding[] {
  const byId = new Map(attempts.map((attempt) => [attempt.id, attempt]));
  const findings: Finding[] = [];
  for (const { attemptIds, minPhaseMs } of minimums) {
    for (const [phase, minMs] of Object.entries(minPhaseMs)) {
      const short = attemptIds.filter((id) => {
        const durationMs = byId.get(id)?.phases?.[phase];
        return durationMs === undefined || durationMs < minMs;
      });
      if (short.length === 0) continue;
      findings.push({
        code: 'fault-not-exercised',
        message:
          `${short.length} of ${attemptIds.length} attempt(s) reported phase "${phase}" shorter than ` +
          `${minMs} ms or not at all (Server-Timing), so the fault did not slow that phase`,
        attemptIds: short,
        evidence: short.map((id) => `${id}: ${describePhases(byId.get(id)?.phases)}`),
      });
    }
  }
  return findings;
}

function describePhases(phases: Record<string, number> | undefined): string {
  if (phases === undefined) return 'no Server-Timing phases';
  return Object.entries(phases).map(([phase, ms]) => `${phase} ${ms} ms`).join(', ');
}
