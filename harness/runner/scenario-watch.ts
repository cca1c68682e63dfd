import { checkAborts } from '../checks/check-aborts.ts';
import { checkGateSamples } from '../checks/check-gate-samples.ts';
import type { Finding } from '../checks/finding-codes.ts';
import type { ProxyControl, StartedEnvironment } from '../model/environment.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import type { TargetExit } from '../model/target.ts';
import { checkLeaks, takeLeakBaseline, type LeakBaseline, type LeakSources } from './measure-leaks.ts';
import type { TimelineOutcome } from './run-timeline.ts';
import { trackFaultWindows, type FaultWindowTracker } from './track-fault-windows.ts';

export interface WatchOptions {
  environment: StartedEnvironment;
  /** The target's probe file; null for targets without the probe. */
  probeFile: string | null;
  /** Maximum wait for the target to return to its baseline, in ms. @default LEAK_SETTLE_MS */
  leakSettleMs?: number;
}

export interface WatchResult {
  findings: Finding[];
  notes: string[];
}

/**
 * The checks that need evidence from around the timeline, not only from its attempts: the leak
 * baseline taken once the target is ready, the proxy's byte counters during each fault, aborted
 * attempts and gates without samples.
 */
export class ScenarioWatch {
  readonly #options: WatchOptions;
  readonly #baseline: LeakBaseline;
  readonly #faults: FaultWindowTracker;
  readonly #extraFaults: FaultWindowTracker[] = [];

  private constructor(options: WatchOptions, baseline: LeakBaseline) {
    this.#options = options;
    this.#baseline = baseline;
    this.#faults = trackFaultWindows(options.environment.databaseProxy);
  }

  /** Takes the baseline; call it once the target is ready and before any fault or attempt. */
  static async start(options: WatchOptions): Promise<ScenarioWatch> {
    return new ScenarioWatch(options, await takeLeakBaseline(sourcesOf(options)));
  }

  /** The proxy for setup toxics and the timeline, so each fault's byte counters are read. */
  get proxy(): ProxyControl {
    return this.#faults.proxy;
  }

  /** Wraps a scenario's extra proxies the same way, by name; their windows name the proxy. */
  trackProxies(controls: Readonly<Record<string, ProxyControl>>): Record<string, ProxyControl> {
    const tracked: Record<string, ProxyControl> = {};
    for (const [name, control] of Object.entries(controls)) {
      const tracker = trackFaultWindows(control, ` on proxy ${name}`);
      this.#extraFaults.push(tracker);
      tracked[name] = tracker.proxy;
    }
    return tracked;
  }

  /**
   * Judges the faults and the attempts, then, unless the target was shut down or exited, resets
   * the proxy and waits for the target to return to its baseline. Call it while the target runs.
   */
  async finish(scenario: ScenarioDefinition, outcome: TimelineOutcome, exit: TargetExit | null): Promise<WatchResult> {
    const faults = await this.#faults.finish(exit !== null);
    for (const tracker of this.#extraFaults) {
      const extra = await tracker.finish(exit !== null);
      faults.findings.push(...extra.findings);
      faults.notes.push(...extra.notes);
    }
    const findings = [
      ...faults.findings,
      ...checkAborts(outcome.attempts),
      ...checkGateSamples(outcome.attempts, scenario.expect, outcome.minimums),
    ];
    // Several proxies of one backend repeat the same note about missing counters.
    const notes = [...new Set(faults.notes)];
    const skipReason = this.#options.leakSettleMs === 0 ? 'the target config sets leakSettleMs to 0' : leakSkipReason(scenario, outcome, exit);
    if (skipReason !== null) {
      notes.push(`The leak check was skipped: ${skipReason}.`);
      return { findings, notes };
    }
    // A toxic left by the timeline must not slow the pool's closes while the counts settle.
    await this.#options.environment.databaseProxy.reset();
    const leaks = await checkLeaks(sourcesOf(this.#options), this.#baseline, this.#options.leakSettleMs);
    return { findings: [...findings, ...leaks.findings], notes: [...notes, ...leaks.notes] };
  }
}

/** Why a leak check would compare nothing useful: the target is gone or going. */
function leakSkipReason(scenario: ScenarioDefinition, outcome: TimelineOutcome, exit: TargetExit | null): string | null {
  if (exit !== null) return 'the target exited during the scenario';
  if (outcome.signalled) return 'the scenario sent the target a shutdown signal';
  if (scenario.expect?.targetExit !== undefined) return 'the scenario expects the target to exit';
  return null;
}

function sourcesOf(options: WatchOptions): LeakSources {
  const { postgres } = options.environment;
  return { adminUrl: postgres.adminUrl, database: postgres.database, probeFile: options.probeFile };
}
