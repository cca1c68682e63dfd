/** Verification phases, in the order `authenticateUpgrade` runs them. */
export const VERIFICATION_PHASES = ['token', 'limit', 'lookup'] as const;
export type VerificationPhase = (typeof VERIFICATION_PHASES)[number];

/**
 * Durations of the verification phases of one upgrade, sent to the client in a
 * `Server-Timing` header (W3C Server Timing) on the 101 and on each rejection after verification
 * started. A phase
 * appears once it has finished, so a verification cut short by its deadline or by shutdown
 * reports only the phases that completed before.
 */
export class PhaseTimings {
  readonly #durationsMs = new Map<VerificationPhase, number>();

  /** Runs `work` as `phase` and records its duration, also when it throws. */
  async measure<T>(phase: VerificationPhase, work: () => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    try {
      return await work();
    } finally {
      this.#durationsMs.set(phase, performance.now() - startedAt);
    }
  }

  /** Recorded durations in ms, rounded to 0.1 ms, in phase order. */
  durationsMs(): Partial<Record<VerificationPhase, number>> {
    const durations: Partial<Record<VerificationPhase, number>> = {};
    for (const phase of VERIFICATION_PHASES) {
      const ms = this.#durationsMs.get(phase);
      if (ms !== undefined) durations[phase] = Math.round(ms * 10) / 10;
    }
    return durations;
  }

  /** Formats the `Server-Timing` value, such as `token;dur=0.4, limit;dur=0.1`; null when empty. */
  headerValue(): string | null {
    const entries = Object.entries(this.durationsMs()).map(([phase, ms]) => `${phase};dur=${ms}`);
    return entries.length === 0 ? null : entries.join(', ');
  }
}
