import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { checkBackendLimit, checkHandleLimit, readHandleSamples } from '../checks/check-resource-limits.ts';
import type { Finding } from '../checks/finding-codes.ts';
import { HarnessError } from '../errors.ts';
import type { StartedPostgres } from '../model/environment.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { startBackendSampler, type BackendSample, type BackendSampler } from './database-admin.ts';

/** Default `pg_stat_activity` sampling interval for `expect.maxBackends`, in ms. */
const DEFAULT_BACKEND_INTERVAL_MS = 100;

/**
 * Time past `maxHandles.atMs` to keep the target running, in ms: two of the probe's 500 ms
 * sampling intervals, so at least one sample lands in the checked window.
 */
const HANDLE_SAMPLE_WAIT_MS = 1_100;

/**
 * The scenario's `maxHandles` and `maxBackends` expectations: samples `pg_stat_activity` while
 * the timeline runs, keeps the target alive until the probe has sampled the handle window, and
 * then checks both. Without either expectation every method does nothing.
 */
export class ResourceLimits {
  readonly #scenario: ScenarioDefinition;
  readonly #sampler: BackendSampler | null;
  readonly #invalid: HarnessError | null;
  #backends: { samples: BackendSample[]; error: string | null } | null = null;
  #windowEndEpochMs = 0;

  constructor(scenario: ScenarioDefinition, postgres: StartedPostgres, logger: Logger) {
    this.#scenario = scenario;
    // The constructor runs before the timeline's try block, so an invalid expectation is kept
    // and thrown by finish, where the caller's cleanup still stops the target.
    this.#invalid = validateLimits(scenario);
    const limit = scenario.expect?.maxBackends;
    this.#sampler =
      limit === undefined || this.#invalid !== null
        ? null
        : startBackendSampler(postgres.adminUrl, limit.intervalMs ?? DEFAULT_BACKEND_INTERVAL_MS, logger);
  }

  /**
   * Waits until the handle window has probe samples, then stops sampling. Call after the
   * timeline. Throws `WUC_ERR_SCENARIO_INVALID` for an invalid `maxHandles` or `maxBackends`.
   */
  async finish(timelineStartedAt: number): Promise<void> {
    if (this.#invalid !== null) throw this.#invalid;
    const handles = this.#scenario.expect?.maxHandles;
    if (handles !== undefined) {
      const waitMs = timelineStartedAt + handles.atMs + HANDLE_SAMPLE_WAIT_MS - performance.now();
      if (waitMs > 0) await sleep(waitMs);
    }
    this.#windowEndEpochMs = Date.now();
    await this.stop();
  }

  /** Stops the `pg_stat_activity` sampler; safe to call more than once. */
  async stop(): Promise<void> {
    if (this.#sampler !== null && this.#backends === null) this.#backends = await this.#sampler.stop();
  }

  /** Checks both limits; `probeFile` is null for targets without the probe. */
  check(probeFile: string | null, timelineStartedAt: number): Finding[] {
    const findings: Finding[] = [];
    const { maxHandles, maxBackends } = this.#scenario.expect ?? {};
    if (maxHandles !== undefined) {
      if (probeFile === null) {
        findings.push({ code: 'no-samples', message: `the target runs without the probe, so the ${maxHandles.type} limit cannot be checked` });
      } else {
        const startEpochMs = performance.timeOrigin + timelineStartedAt;
        findings.push(...checkHandleLimit(readHandleSamples(probeFile), maxHandles, startEpochMs, this.#windowEndEpochMs));
      }
    }
    if (maxBackends !== undefined) {
      findings.push(...checkBackendLimit(this.#backends ?? { samples: [], error: 'sampling never ran' }, maxBackends.count));
    }
    return findings;
  }
}

function validateLimits(scenario: ScenarioDefinition): HarnessError | null {
  const { maxHandles, maxBackends } = scenario.expect ?? {};
  const invalid = (message: string) => new HarnessError('WUC_ERR_SCENARIO_INVALID', `${scenario.name}: ${message}`);
  const isCount = (value: number) => Number.isInteger(value) && value >= 0;
  if (maxHandles !== undefined) {
    if (maxHandles.type.trim() === '') return invalid('expect.maxHandles.type is empty; name a resource type such as TCPSocketWrap');
    if (!isCount(maxHandles.count)) return invalid(`expect.maxHandles.count ${maxHandles.count} is invalid; use a whole number, 0 or more`);
    if (!isCount(maxHandles.atMs)) return invalid(`expect.maxHandles.atMs ${maxHandles.atMs} is invalid; use whole ms, 0 or more`);
  }
  if (maxBackends !== undefined) {
    if (!isCount(maxBackends.count)) return invalid(`expect.maxBackends.count ${maxBackends.count} is invalid; use a whole number, 0 or more`);
    const intervalMs = maxBackends.intervalMs ?? DEFAULT_BACKEND_INTERVAL_MS;
    if (!Number.isInteger(intervalMs) || intervalMs < 10 || intervalMs > 10_000) {
      return invalid(`expect.maxBackends.intervalMs ${intervalMs} is invalid; use 10 to 10000 ms`);
    }
  }
  return null;
}
