import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { checkScenario } from '../checks/check-scenario.ts';
import type { Finding } from '../checks/finding-codes.ts';
import type { StartedEnvironment } from '../model/environment.ts';
import type { ScenarioResult } from '../model/result.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import type { TargetConfig } from '../model/target-config.ts';
import type { TargetExit } from '../model/target.ts';
import { jwtEnvironment, targetForScenario } from '../target/scenario-target.ts';
import { startTarget, type RunningTarget, type StartTargetOptions } from '../target/start-target.ts';
import { checkOutcomeCounts } from './check-outcome-counts.ts';
import { checkRetryAfter } from './check-retry-after.ts';
import { checkPhaseMinimums } from './check-phase-minimums.ts';
import { TargetRestarts } from './restart-target.ts';
import { ScenarioProxies } from './scenario-proxies.ts';
import { describeToxic, runTimeline, type TimelineOutcome } from './run-timeline.ts';
import { ScenarioWatch, type WatchResult } from './scenario-watch.ts';
import { ResourceLimits } from './resource-limits.ts';

export interface ScenarioContext {
  scenario: ScenarioDefinition;
  target: TargetConfig;
  environment: StartedEnvironment;
  /** Folder of this run; the scenario writes its files in a subfolder named after it. */
  runDir: string;
  logger: Logger;
  /**
   * Whether a target that cannot start throws its WUC_ERR_TARGET_START_FAILED error, which ends
   * the run, instead of becoming a `target-failed` finding. @default false
   */
  stopOnStartFailure?: boolean;
  /** Called after each attempt of an `open` step ends, with the count so far. */
  onAttemptEnd?: (attemptsDone: number) => void;
}

/** Lines of the target log attached to crash and exit findings. */
const LOG_TAIL_LINES = 30;

/** Time to let a just-crashed target's exit arrive before the harness stops it, in ms. */
const CRASH_SETTLE_MS = 300;

/** Extra wait past the grace period before a target that should exit is stopped, in ms. */
const EXIT_WAIT_MARGIN_MS = 2_000;

/**
 * Runs one scenario on a fresh target process: reset the proxy, start the target, add the
 * setup toxics, run the timeline, let the target exit or stop it, then check the evidence.
 */
export async function runScenario(scenarioContext: ScenarioContext): Promise<ScenarioResult> {
  const { scenario, environment, logger } = scenarioContext;
  const startedAt = performance.now();
  let context: ScenarioContext;
  try {
    context = { ...scenarioContext, target: targetForScenario(scenarioContext.target, scenario) };
  } catch (err) {
    logger.error({ err }, 'scenario cannot run on this target');
    return failedStart(scenario, startedAt, err);
  }
  const scenarioDir = path.join(context.runDir, scenario.name);
  await mkdir(scenarioDir, { recursive: true });
  await environment.databaseProxy.reset();

  // A scenario's grace period reaches only a target that reads it through settingsEnv. Any other
  // target keeps the grace period of its config and is judged by that.
  const scenarioGraceMs = context.target.settingsEnv.shutdownGraceMs === null ? undefined : scenario.setup?.shutdownGraceMs;
  const graceMs = scenarioGraceMs ?? context.target.shutdown.graceMs;
  const logFile = path.join(scenarioDir, 'target.log');
  const scenarioProxies = new ScenarioProxies(scenario, environment, context.target);
  let startOptions: Omit<StartTargetOptions, 'probeFile'> | undefined;
  // NOTE: after a restart, the probe and resource checks that read probe.jsonl see only the
  // first process; TargetRestarts checks each stopped process's own probe file.
  const restarts = new TargetRestarts((port, restartNumber) => {
    if (startOptions === undefined) throw new Error('the target was never started, so it cannot restart');
    const probeFile = path.join(scenarioDir, `probe-restart-${restartNumber}.jsonl`);
    return startTarget({ ...startOptions, port, probeFile });
  });
  let target: RunningTarget;
  try {
    startOptions = {
      config: context.target,
      env: { ...buildTargetEnv(context, graceMs), ...(await scenarioProxies.create()) },
      logFile,
      logger: logger.child({ component: 'target' }),
    };
    target = await startTarget({ ...startOptions, probeFile: path.join(scenarioDir, 'probe.jsonl') });
  } catch (err) {
    await scenarioProxies.close();
    if (context.stopOnStartFailure === true) throw err;
    logger.error({ err }, 'target start failed');
    return failedStart(scenario, startedAt, err);
  }

  let outcome: TimelineOutcome;
  let watched: WatchResult;
  const limits = new ResourceLimits(scenario, environment.postgres, logger);
  try {
    const probeFile = target.hasProbe ? path.join(scenarioDir, 'probe.jsonl') : null;
    const watch = await ScenarioWatch.start({ environment, probeFile, leakSettleMs: context.target.leakSettleMs });
    for (const toxic of scenario.setup?.toxics ?? []) await watch.proxy.addToxic(toxic);
    outcome = await runTimeline({
      scenario,
      target: context.target,
      url: buildUrl(target, context.target),
      proxy: watch.proxy,
      sendSignal: (signal) => {
        target.sendSignal(signal);
        // A target that outlives its grace period is killed then, not when the timeline ends.
        const signalled = target;
        setTimeout(() => {
          if (signalled.exitInfo() === null) void signalled.kill();
        }, graceMs + EXIT_WAIT_MARGIN_MS).unref();
      },
      graceMs,
      logger,
      onAttemptEnd: context.onAttemptEnd,
      proxies: watch.trackProxies(scenarioProxies.controls),
      restartTarget: async () => {
        const { next, detail } = await restarts.restart(target);
        target = next;
        return detail;
      },
      postgres: environment.postgres,
    });
    watched = await watch.finish(scenario, outcome, target.exitInfo());
    await limits.finish(outcome.startedAt);
  } finally {
    await limits.stop();
    await settleTarget(target, scenario, graceMs);
    await environment.databaseProxy.reset();
    await scenarioProxies.close();
  }

  const exit = target.exitInfo();
  const findings = checkScenario({
    attempts: outcome.attempts,
    probe: target.hasProbe ? target.readProbe() : null,
    exit: exit !== null && (outcome.signalled || !exit.requested) ? exit : null,
    signalled: outcome.signalled,
    expectedExitCode: scenario.expect?.targetExit?.code ?? null,
    graceMs,
    minimums: outcome.minimums,
    unmetConditions: outcome.unmetConditions,
    logTail: await readTail(logFile),
  });
  findings.push(
    ...checkOutcomeCounts(outcome.attempts, context.target.policy, scenario.expect),
    ...checkRetryAfter(outcome.attempts, context.target.policy),
    ...checkPhaseMinimums(outcome.attempts, outcome.phaseMinimums ?? []),
    ...restarts.check(graceMs),
    ...watched.findings,
    ...(outcome.findings ?? []),
    ...limits.check(target.hasProbe ? path.join(scenarioDir, 'probe.jsonl') : null, outcome.startedAt),
  );
  const setupEvents = (scenario.setup?.toxics ?? []).map((toxic) => ({
    atMs: 0,
    kind: 'add-toxic' as const,
    detail: describeToxic(toxic),
  }));
  outcome.events.unshift(...setupEvents);
  if (exit !== null && outcome.signalled) {
    outcome.events.push({
      atMs: Math.round(exit.atMs - (performance.timeOrigin + outcome.startedAt)),
      kind: 'target-exit',
      detail: exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`,
    });
  }

  return {
    name: scenario.name,
    description: scenario.description,
    tags: scenario.tags,
    passed: findings.length === 0,
    durationMs: Math.round(performance.now() - startedAt),
    findings,
    attempts: outcome.attempts,
    events: outcome.events,
    probe: target.hasProbe ? target.readProbe() : null,
    exit,
    targetLog: path.join(scenario.name, 'target.log'),
    ...(watched.notes.length > 0 ? { notes: watched.notes } : {}),
  };
}

function buildTargetEnv(context: ScenarioContext, graceMs: number): Record<string, string> {
  const { target, scenario, environment } = context;
  const env: Record<string, string> = {
    DATABASE_URL: environment.targetDatabaseUrl,
    ...jwtEnvironment(target),
    ...scenario.setup?.targetEnv,
  };
  const verifyTimeoutMs = scenario.setup?.verifyTimeoutMs;
  if (verifyTimeoutMs !== undefined && target.settingsEnv.verifyTimeoutMs !== null) {
    env[target.settingsEnv.verifyTimeoutMs] = String(verifyTimeoutMs);
  }
  if (target.settingsEnv.shutdownGraceMs !== null) {
    env[target.settingsEnv.shutdownGraceMs] = String(graceMs);
  }
  return env;
}

function buildUrl(target: RunningTarget, config: TargetConfig): string {
  return `ws://${target.host}:${target.port}${config.path}`;
}

/** Waits for a target that the scenario expects to exit, or stops one that is still running. */
async function settleTarget(target: RunningTarget, scenario: ScenarioDefinition, graceMs: number) {
  if (scenario.expect?.targetExit !== undefined && target.exitInfo() === null) {
    await Promise.race([target.exited, sleepMs(graceMs + EXIT_WAIT_MARGIN_MS)]);
  }
  // A crash that closed the last attempt's socket reaches the harness as a child exit a few
  // milliseconds later. Waiting briefly keeps it from being taken for a requested stop.
  if (target.exitInfo() === null) await Promise.race([target.exited, sleepMs(CRASH_SETTLE_MS)]);
  if (target.exitInfo() === null) await target.stop();
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function readTail(file: string): Promise<string[]> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-LOG_TAIL_LINES);
  } catch {
    // No log file means the target never wrote a line; an empty tail is the truth.
    return [];
  }
}

function failedStart(scenario: ScenarioDefinition, startedAt: number, err: unknown): ScenarioResult {
  const finding: Finding = {
    code: 'target-failed',
    message: err instanceof Error ? err.message : String(err),
  };
  return {
    name: scenario.name,
    description: scenario.description,
    tags: scenario.tags,
    passed: false,
    durationMs: Math.round(performance.now() - startedAt),
    findings: [finding],
    attempts: [],
    events: [],
    probe: null,
    exit: null,
    targetLog: path.join(scenario.name, 'target.log'),
  };
}
