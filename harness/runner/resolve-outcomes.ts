import type { ResolvedOutcome } from '../model/attempt.ts';
import type { ExpectedOutcome } from '../model/scenario.ts';
import type { TargetPolicy } from '../model/policy.ts';

/** Turns policy classes into the status or close code the target must use. */
export function resolveOutcomes(outcomes: ExpectedOutcome[], policy: TargetPolicy): ResolvedOutcome[] {
  return outcomes.map((outcome) => {
    if ('reject' in outcome) {
      const status = policy.statuses[outcome.reject];
      return { kind: 'reject', status, label: `${status} (${outcome.reject})` };
    }
    if (outcome.closeClass === undefined) {
      return { kind: 'accept', closeCode: null, label: 'accept' };
    }
    const closeCode = policy.closeCodes[outcome.closeClass];
    return { kind: 'accept', closeCode, label: `accept, then close ${closeCode} (${outcome.closeClass})` };
  });
}
