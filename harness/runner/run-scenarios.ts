import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { applySchema, startEnvironment } from '../environment/start-environment.ts';
import { createSeededRandom } from '../proxy/seeded-random.ts';
import type { StartedEnvironment } from '../model/environment.ts';
import type { RunResult, ScenarioResult } from '../model/result.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import type { TargetConfig } from '../model/target-config.ts';
import { runScenario } from './run-scenario.ts';
import { stopAllTargets } from '../target/start-target.ts';

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
  await mkdir(runDir, { recursive: true });
  // Scratch space such as embedded Postgres data lives under the system temp folder, because
  // Postgres runs as another user that cannot enter folders like /root or a 0700 temp dir.
  const workDir = await mkdtemp(path.join(tmpdir(), `wuc-${runId}-`));
  await chmod(workDir, 0o755);
  const startedAt = new Date();
  const logger = options.logger.child({ runId });

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
  } finally {
    await stop();
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
    options.onStart?.({ runId, runDir, backends });

    const results: ScenarioResult[] = [];
    for (const [index, scenario] of options.scenarios.entries()) {
      options.signal?.throwIfAborted();
      const total = options.scenarios.length;
      options.onProgress?.({ kind: 'scenario-start', name: scenario.name, index, total });
      const planned = countPlannedAttempts(scenario);
      const onAttemptEnd = (attemptsDone: number) => {
        const attemptsTotal = attemptsDone <= planned ? planned : null;
        options.onProgress?.({ kind: 'attempt-end', index, attemptsDone, attemptsTotal });
      };
      const result = await runScenario({ scenario, target: options.target, environment: started, runDir, logger, onAttemptEnd });
      results.push(result);
      options.onProgress?.({ kind: 'scenario-end', result, index, total });
    }
    options.signal?.throwIfAborted();
    return { result: summarise(runId, startedAt, options, backends, results), runDir };
  }
}

async function applyTargetSchema(environment: StartedEnvironment, target: TargetConfig) {
  if (target.schemaFile === null) return;
  const sql = await readFile(target.schemaFile, 'utf8');
  await applySchema(environment.postgres.adminUrl, sql);
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
