import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { HarnessError } from '../errors.ts';
import { createOwnedWorkDir, removeStaleWorkDirs, startOrphanWatchdog } from '../environment/owned-work-dir.ts';
import { applySchema, startEnvironment } from '../environment/start-environment.ts';
import { DEFAULT_PROFILE, type RunProfile } from '../model/profile.ts';
import { createSeededRandom } from '../proxy/seeded-random.ts';
import type { StartedEnvironment } from '../model/environment.ts';
import type { RunResult, ScenarioResult } from '../model/result.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import type { TargetConfig } from '../model/target-config.ts';
import { applyProfile } from './apply-profile.ts';
import { runScenario } from './run-scenario.ts';
import { recordTargetPidsIn, stopAllTargets } from '../target/start-target.ts';

export interface RunOptions {
  scenarios: ScenarioDefinition[];
  target: TargetConfig;
  /** Folder that receives `<run-id>/`. */
  reportsDir: string;
  /** Seed of the built-in proxy's random source (jitter, toxicity). */
  seed: number;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Aborting stops the run: the target, the proxy and Postgres are stopped in that order. */
  signal?: AbortSignal;
  /** Called before and after each scenario, for progress output. */
  onProgress?: (event: ProgressEvent) => void;
  /** Called once the environment is up, with the header facts. */
  onStart?: (info: { runId: string; runDir: string; backends: RunResult['backends'] }) => void;
  /**
   * Called when the run stops before its last scenario (an abort, or a target that cannot
   * start) after the environment was up, with the scenarios that finished. The run then
   * rejects with the error that stopped it. A run that stops earlier removes its folder.
   */
  onStopped?: (stopped: { result: RunResult; runDir: string }) => Promise<void>;
  /** Deadlines and counts the scenarios use. @default 'quick' */
  profile?: RunProfile;
  /** Parent of the run's scratch folder. @default the system temp folder */
  tempDir?: string;
}

export type ProgressEvent =
  | { kind: 'scenario-start'; name: string; index: number; total: number }
  | AttemptProgressEvent
  | { kind: 'scenario-end'; result: ScenarioResult; index: number; total: number };

/** An attempt of the running scenario ended. */
export interface AttemptProgressEvent {
  kind: 'attempt-end';
  /** Index of the running scenario, as in the scenario events. */
  index: number;
  attemptsDone: number;
  /** Attempts the timeline's `open` steps start, or null when other steps add attempts. */
  attemptsTotal: number | null;
}

/** Counts the attempts a scenario's `open` steps start. */
export function countPlannedAttempts(scenario: ScenarioDefinition): number {
  let total = 0;
  for (const step of scenario.timeline) if (step.action === 'open') total += step.count;
  return total;
}

/** Makes a sortable run id: UTC time plus a short random suffix. */
export function createRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/**
 * Starts the environment once, applies the target's schema, runs each scenario on a fresh
 * target process and returns the whole result. Reports are written by the caller.
 */
export async function runScenarios(options: RunOptions): Promise<{ result: RunResult; runDir: string }> {
  const runId = createRunId();
  const runDir = path.join(options.reportsDir, runId);
  const logger = options.logger.child({ runId });
  // Scratch space such as embedded Postgres data lives under the system temp folder, because
  // Postgres runs as another user that cannot enter folders like /root or a 0700 temp dir.
  const tempDir = options.tempDir ?? tmpdir();
  await removeStaleWorkDirs(tempDir, logger.child({ component: 'cleanup' }));
  try {
    await mkdir(runDir, { recursive: true });
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new HarnessError(
      'WUC_ERR_USAGE_INVALID_OPTION',
      `--reports-dir ${options.reportsDir} cannot hold the run folder ${runId} (${reason}); give a folder this user can write to`,
      { cause: err },
    );
  }
  const workDir = await createOwnedWorkDir(tempDir, runId);
  const stopWatchdog = startOrphanWatchdog(workDir);
  recordTargetPidsIn(workDir);
  const startedAt = new Date();
  const progress: RunProgress = { backends: null, results: [] };

  let environment: StartedEnvironment | null = null;
  const stop = async () => {
    const started = environment;
    environment = null;
    await started?.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  const aborted = new Promise<never>((_, reject) => {
    options.signal?.addEventListener(
      'abort',
      () => {
        void stopAllTargets()
          .then(stop)
          .finally(() => reject(options.signal?.reason));
      },
      { once: true },
    );
  });
  aborted.catch(() => {
    // Observed through the race below; this handler only keeps an abort before the race quiet.
  });

  try {
    return await Promise.race([run(), aborted]);
  } catch (error) {
    // Cleanup failures are logged, so the error that stopped the run is the one rethrown.
    await stopAllTargets();
    await stop().catch((stopError: unknown) => logger.error({ err: stopError }, 'stopping the environment failed'));
    await reportStopped(error).catch((reportError: unknown) =>
      logger.error({ err: reportError, runDir }, 'keeping the results of the stopped run failed'),
    );
    throw error;
  } finally {
    recordTargetPidsIn(null);
    try {
      await stop();
    } finally {
      stopWatchdog();
    }
  }

  async function run() {
    const started = await startEnvironment({
      logger: logger.child({ component: 'environment' }),
      env: options.env ?? process.env,
      workDir,
      random: createSeededRandom(options.seed),
    });
    environment = started;
    if (options.signal?.aborted) {
      // The abort cleanup ran before this environment existed, so stop it here.
      await stop();
      options.signal.throwIfAborted();
    }
    await applyTargetSchema(started, options.target);
    const backends = describeBackends(started);
    progress.backends = backends;
    options.onStart?.({ runId, runDir, backends });

    const profile = options.profile ?? DEFAULT_PROFILE;
    for (const [index, scenario] of options.scenarios.entries()) {
      options.signal?.throwIfAborted();
      const total = options.scenarios.length;
      options.onProgress?.({ kind: 'scenario-start', name: scenario.name, index, total });
      const profiled = applyProfile(scenario, profile);
      const planned = countPlannedAttempts(profiled);
      const onAttemptEnd = (attemptsDone: number) => {
        const attemptsTotal = attemptsDone <= planned ? planned : null;
        options.onProgress?.({ kind: 'attempt-end', index, attemptsDone, attemptsTotal });
      };
      const result = await runScenario({
        scenario: profiled,
        target: options.target,
        environment: started,
        runDir,
        logger,
        onAttemptEnd,
        stopOnStartFailure: true,
      });
      progress.results.push(result);
      options.onProgress?.({ kind: 'scenario-end', result, index, total });
    }
    options.signal?.throwIfAborted();
    return { result: summarise(runId, startedAt, options, backends, progress.results), runDir };
  }

  /** Keeps what the stopped run learned, or removes its folder when it learned nothing. */
  async function reportStopped(error: unknown) {
    if (progress.backends === null || options.onStopped === undefined) {
      await rm(runDir, { recursive: true, force: true });
      return;
    }
    const result = summarise(runId, startedAt, options, progress.backends, [...progress.results]);
    result.interrupted = true;
    result.stopReason = describeStop(error, options.signal);
    await options.onStopped({ result, runDir });
  }
}

/** State of a run in progress, kept for the partial result of a run that stops early. */
interface RunProgress {
  backends: RunResult['backends'] | null;
  results: ScenarioResult[];
}

function describeStop(error: unknown, signal: AbortSignal | undefined): string {
  if (signal?.aborted === true) return 'Interrupted by a signal (Ctrl-C or SIGTERM).';
  if (error instanceof HarnessError) return `${error.code}: ${error.message.split('\n')[0]}`;
  return error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error);
}

async function applyTargetSchema(environment: StartedEnvironment, target: TargetConfig) {
  if (target.schemaFile === null) return;
  const sql = await readFile(target.schemaFile, 'utf8');
  try {
    await applySchema(environment.postgres.adminUrl, sql);
  } catch (error) {
    // Postgres rejected the SQL itself: the file is wrong, not the environment.
    if (error instanceof HarnessError && error.cause instanceof pg.DatabaseError) {
      throw new HarnessError('WUC_ERR_TARGET_CONFIG_INVALID', `schemaFile ${target.schemaFile}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function describeBackends(environment: StartedEnvironment): RunResult['backends'] {
  return {
    postgres: { kind: environment.postgres.kind, version: environment.postgres.version },
    toxiproxy: { kind: environment.toxiproxy.kind, version: environment.toxiproxy.version },
  };
}

function summarise(
  runId: string,
  startedAt: Date,
  options: RunOptions,
  backends: RunResult['backends'],
  scenarios: ScenarioResult[],
): RunResult {
  const count = (pick: (scenario: ScenarioResult) => number) =>
    scenarios.reduce((sum, scenario) => sum + pick(scenario), 0);
  const passed = scenarios.filter((scenario) => scenario.passed).length;
  return {
    schemaVersion: 1,
    runId,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    seed: options.seed,
    profile: options.profile ?? DEFAULT_PROFILE,
    node: process.version,
    target: {
      name: options.target.name,
      command: options.target.command,
      probe: options.target.runtime === 'node',
    },
    backends,
    summary: {
      scenarios: scenarios.length,
      passed,
      failed: scenarios.length - passed,
      attempts: count((scenario) => scenario.attempts.length),
      unhandledRejections: count((scenario) => scenario.probe?.unhandledRejections.length ?? 0),
      uncaughtExceptions: count((scenario) => scenario.probe?.uncaughtExceptions.length ?? 0),
    },
    scenarios,
  };
}
