import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { openAttempt } from '../clients/open-attempt.ts';
import type { AttemptRecord } from '../model/attempt.ts';
import type { Finding } from '../checks/finding-codes.ts';
import type { ProxyControl, StartedPostgres, ToxicSpec } from '../model/environment.ts';
import type { OpenStep, ScenarioDefinition, TimelineStep } from '../model/scenario.ts';
import type { TargetConfig } from '../model/target-config.ts';
import type { TimelineEvent } from '../model/result.ts';
import { mintToken, TOKEN_CLASS_OUTCOMES, type MintedToken } from '../tokens/mint-token.ts';
import { judgeAttempt } from '../checks/judge-attempt.ts';
import { resolveOutcomes } from './resolve-outcomes.ts';
import { pickUserNumbers } from './user-numbers.ts';
import type { PhaseMinimum } from './check-phase-minimums.ts';
import { runReconnectingClient, type RestartWindow } from './reconnect-client.ts';
import { HarnessError } from '../errors.ts';
import { validateAbortSteps } from './validate-abort-steps.ts';
import { runFuzzStep, runRawUpgrades, runTerminateBackends, type RawStepOutcome } from './raw-steps.ts';

/** Default time an attempt may wait for a response or open, in ms. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 20_000;

/** Valid tokens minted for a `handshake-fuzz` step, one user each, so no user hits a rate limit. */
const FUZZ_VALID_TOKENS = 50;

/** How often a `whenPending` condition is polled, in ms. */
const CONDITION_POLL_MS = 5;

export interface TimelineContext {
  scenario: ScenarioDefinition;
  target: TargetConfig;
  /** ws:// URL of the running target, with path and query. */
  url: string;
  proxy: ProxyControl;
  sendSignal: (signal: NodeJS.Signals) => void;
  graceMs: number;
  logger: Logger;
  /** Proxies of `setup.databaseProxies` by name, for toxic steps that name one. */
  proxies?: Readonly<Record<string, ProxyControl>>;
  /** Restarts the target on its port for `restart-target`; resolves with a one-line summary. */
  restartTarget?: () => Promise<string>;
  /** Called after each attempt of an `open` step ends, with the count so far. */
  onAttemptEnd?: (attemptsDone: number) => void;
  /** The Postgres the target uses; `terminate-backends` needs its admin URL. */
  postgres?: StartedPostgres;
}

export interface TimelineOutcome {
  attempts: AttemptRecord[];
  events: TimelineEvent[];
  minimums: { attemptIds: string[]; minResponseMs: number }[];
  unmetConditions: string[];
  signalled: boolean;
  /** `performance.now()` at the scenario start. */
  startedAt: number;
  /** Attempts of open steps with `minPhaseMs`, with those minimums. */
  phaseMinimums?: PhaseMinimum[];
  /** Findings of steps that run outside `openAttempt` (raw upgrades, fuzzing, admin actions). */
  findings?: Finding[];
}

/**
 * Runs the timeline's steps in `atMs` order and waits for every attempt to end. Each attempt is
 * bounded by its own timeout, so this resolves within the last step time plus the longest
 * attempt lifetime.
 */
export async function runTimeline(context: TimelineContext): Promise<TimelineOutcome> {
  const state = new TimelineState(context);
  validateAbortSteps(context.scenario, state.attemptTimeoutMs());
  const steps = [...context.scenario.timeline].sort((a, b) => (a.atMs ?? 0) - (b.atMs ?? 0));

  for (const step of steps) {
    const tokens = step.action === 'open' ? await state.mintTokens(step) : [];
    await sleep(Math.max(0, state.startedAt + (step.atMs ?? 0) - performance.now()));
    if (step.whenPending !== undefined) await state.waitForPending(step.whenPending);
    await state.runStep(step, tokens);
  }
  await Promise.all(state.running);
  return state.outcome();
}

class TimelineState {
  readonly startedAt = performance.now();
  readonly running: Promise<void>[] = [];
  readonly findings: Finding[] = [];
  readonly #context: TimelineContext;
  readonly #attempts: AttemptRecord[] = [];
  readonly #events: TimelineEvent[] = [];
  readonly #minimums: TimelineOutcome['minimums'] = [];
  readonly #unmet: string[] = [];
  readonly #phaseMinimums: PhaseMinimum[] = [];
  readonly #restartWindows: RestartWindow[] = [];
  #pending = 0;
  #nextUser = 1;
  #attemptCount = 0;
  #signalled = false;

  constructor(context: TimelineContext) {
    this.#context = context;
  }

  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  async mintTokens(step: OpenStep): Promise<MintedToken[]> {
    const { target } = this.#context;
    const picked = pickUserNumbers(step, this.#nextUser, target.fixtures.validUserCount);
    this.#nextUser = picked.nextUser;
    const nowS = Math.floor(Date.now() / 1000);
    return Promise.all(picked.userNumbers.map((n) => mintToken(step.tokenClass, n, target, nowS, step.tokenTtlS)));
  }

  async waitForPending(count: number): Promise<void> {
    const deadline = performance.now() + this.attemptTimeoutMs();
    while (this.#pending < count) {
      if (performance.now() > deadline) {
        this.#unmet.push(`waited ${this.attemptTimeoutMs()} ms for ${count} pending attempts; saw ${this.#pending}`);
        return;
      }
      await sleep(CONDITION_POLL_MS);
    }
  }

  async runStep(step: TimelineStep, tokens: MintedToken[]): Promise<void> {
    const { proxy } = this.#context;
    switch (step.action) {
      case 'open':
        this.record('open', `${step.count} × ${step.tokenClass}`);
        this.openAll(step, tokens);
        return;
      case 'signal':
        this.record('signal', step.signal);
        this.#signalled = true;
        this.#context.sendSignal(step.signal);
        return;
      case 'add-toxic':
        this.record('add-toxic', describeToxic(step.toxic));
        await this.proxyFor(step.proxy).addToxic(step.toxic);
        return;
      case 'remove-toxic':
        this.record('remove-toxic', step.name);
        await this.proxyFor(step.proxy).removeToxic(step.name);
        return;
      case 'restart-target':
        await this.restartTarget();
        return;
      case 'set-proxy-enabled':
        this.record('set-proxy-enabled', String(step.enabled));
        await proxy.setEnabled(step.enabled);
        return;
      case 'raw-upgrade': {
        const count = { action: 'open', count: step.count, tokenClass: step.tokenClass ?? 'valid', firstUser: step.firstUser } as const;
        const minted = await this.mintTokens(count);
        this.record('raw-upgrade', `${step.count} × ${count.tokenClass}, reset after ${step.resetAfterMs} ms`);
        this.running.push(this.finishRawStep('raw-upgrade', runRawUpgrades(step, this.#context.url, minted, this.#context.target)));
        return;
      }
      case 'terminate-backends':
        await this.finishRawStep('terminate-backends', runTerminateBackends(this.#context.postgres));
        return;
      case 'handshake-fuzz': {
        const minted = await this.mintTokens({ action: 'open', count: FUZZ_VALID_TOKENS, tokenClass: 'valid' });
        this.record('handshake-fuzz', `${step.count} malformed requests, seed ${step.seed}`);
        this.running.push(this.finishRawStep('handshake-fuzz', runFuzzStep(step, this.#context.url, minted)));
        return;
      }
    }
  }

  /** Records a raw step's tally as a timeline event and keeps its findings. */
  async finishRawStep(kind: TimelineEvent['kind'], running: Promise<RawStepOutcome>): Promise<void> {
    const outcome = await running;
    this.record(kind, outcome.detail);
    this.findings.push(...outcome.findings);
  }

  record(kind: TimelineEvent['kind'], detail: string): void {
    this.#events.push({ atMs: Math.round(this.elapsedMs()), kind, detail });
  }

  openAll(step: OpenStep, tokens: MintedToken[]): void {
    const ids: string[] = [];
    const spreadMs = step.spreadMs ?? 0;
    tokens.forEach((token, i) => {
      this.#attemptCount += 1;
      const id = `${this.#context.scenario.name}#${this.#attemptCount}`;
      ids.push(id);
      const delayMs = step.count > 1 ? (spreadMs * i) / (step.count - 1) : 0;
      const run = step.reconnect === undefined ? () => this.runAttempt(id, step, token) : () => this.runReconnecting(id, i, step, token);
      this.running.push(sleep(delayMs).then(run));
    });
    if (step.minPhaseMs !== undefined) this.#phaseMinimums.push({ attemptIds: ids, minPhaseMs: step.minPhaseMs });
    if (step.minResponseMs !== undefined) {
      this.#minimums.push({ attemptIds: ids, minResponseMs: step.minResponseMs });
    }
  }

  /** Returns the database proxy, or the `setup.databaseProxies` entry `name`. */
  proxyFor(name: string | undefined): ProxyControl {
    if (name === undefined || name === 'database') return this.#context.proxy;
    const proxy = this.#context.proxies?.[name];
    if (proxy !== undefined) return proxy;
    const known = ['database', ...Object.keys(this.#context.proxies ?? {})].join(', ');
    throw new HarnessError(
      'WUC_ERR_SCENARIO_INVALID',
      `Scenario "${this.#context.scenario.name}" names proxy "${name}", which it does not set up; use one of ${known} or add it to setup.databaseProxies.`,
    );
  }

  /** Restarts the target; a failed start becomes an unmet condition, and later attempts fail. */
  async restartTarget(): Promise<void> {
    const window: RestartWindow = { startMs: this.elapsedMs(), endMs: null };
    this.#restartWindows.push(window);
    this.record('restart-target', 'shutdown signal sent');
    try {
      const restart = this.#context.restartTarget;
      if (restart === undefined) throw new Error('this runner cannot restart the target');
      this.record('restart-target', await restart());
    } catch (err) {
      this.#unmet.push(`restart-target failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      window.endMs = this.elapsedMs();
    }
  }

  /** Runs attempt `id` as the first try of reconnecting client `index`, then its later tries. */
  async runReconnecting(id: string, index: number, step: OpenStep, token: MintedToken): Promise<void> {
    const policy = step.reconnect;
    if (policy === undefined) return;
    // Later tries accept any close, because the client closes them itself after the hold, and
    // may meet the old process still draining (503) or no listener at all (excused in a restart).
    const retryStep: OpenStep = { ...step, holdMs: policy.reconnectHoldMs, expect: [{ accept: true }, { reject: 'shuttingDown' }] };
    const outcome = await runReconnectingClient({
      policy,
      clientIndex: index,
      restartWindows: () => this.#restartWindows,
      runTry: async (tryNumber) => {
        const tryId = tryNumber === 1 ? id : `${this.#context.scenario.name}#${(this.#attemptCount += 1)}`;
        await this.runAttempt(tryId, tryNumber === 1 ? step : retryStep, token);
        const record = this.#attempts.find((attempt) => attempt.id === tryId);
        if (record === undefined) throw new Error(`attempt ${tryId} left no record`);
        return record;
      },
    });
    if (outcome.unmet !== null) this.#unmet.push(outcome.unmet);
  }

  attemptTimeoutMs(): number {
    return this.#context.scenario.expect?.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  }

  async runAttempt(id: string, step: OpenStep, token: MintedToken): Promise<void> {
    const { target, url } = this.#context;
    const timeoutMs = this.attemptTimeoutMs();
    const holdMs = step.holdMs === undefined ? 0 : step.holdMs;
    const lifetimeMs = timeoutMs + (holdMs ?? this.#context.graceMs) + 5_000;
    const startedAt = performance.now();
    this.#pending += 1;

    const seen = await openAttempt({
      url,
      token: token.token,
      transport: target.tokenTransport,
      tokenParameter: target.tokenParameter,
      identity: target.identity,
      timeoutMs,
      holdMs,
      lifetimeMs,
      onSettled: () => {
        this.#pending -= 1;
      },
      ...(step.origin === undefined ? {} : { origin: step.origin }),
      ...(step.abortAfterMs === undefined ? {} : { abortAfterMs: step.abortAfterMs }),
    });

    const expected = resolveOutcomes(step.expect ?? [TOKEN_CLASS_OUTCOMES[step.tokenClass]], target.policy);
    const record = {
      id,
      tokenClass: step.tokenClass,
      userId: token.userId,
      expected,
      startedAtMs: round(startedAt - this.startedAt),
      status: seen.hung ? null : seen.status,
      retryAfter: seen.retryAfter,
      responseMs: seen.responseAt === null ? null : round(seen.responseAt - startedAt),
      closeCode: seen.closeCode,
      closeReason: seen.closeReason,
      closedBy: seen.closedBy,
      identity: seen.identity,
      error: seen.hung ? null : seen.error,
      endedAtMs: round(seen.endedAt - this.startedAt),
      ...(step.abortAfterMs === undefined ? {} : { abortAfterMs: step.abortAfterMs, aborted: seen.aborted }),
      ...(seen.phases === null ? {} : { phases: seen.phases }),
    };
    const limits = {
      identityRequired: target.identity !== null,
      ...(step.maxResponseMs === undefined ? {} : { maxResponseMs: step.maxResponseMs }),
      ...(step.maxOpenMs === undefined ? {} : { maxOpenMs: step.maxOpenMs }),
    };
    this.#attempts.push({ ...record, ...judgeAttempt(record, limits) });
    this.#context.onAttemptEnd?.(this.#attempts.length);
  }

  outcome(): TimelineOutcome {
    const order = (id: string) => Number(id.slice(id.lastIndexOf('#') + 1));
    return {
      attempts: [...this.#attempts].sort((a, b) => order(a.id) - order(b.id)),
      events: this.#events,
      minimums: this.#minimums,
      unmetConditions: this.#unmet,
      phaseMinimums: this.#phaseMinimums,
      signalled: this.#signalled,
      startedAt: this.startedAt,
      findings: this.findings,
    };
  }
}

/** Formats a toxic for the timeline, for example `slow-db: latency downstream latency=5000`. */
export function describeToxic(toxic: ToxicSpec): string {
  const attributes = Object.entries(toxic.attributes).map(([key, value]) => `${key}=${value}`);
  return `${toxic.name}: ${toxic.type} ${toxic.stream ?? 'downstream'} ${attributes.join(' ')}`.trim();
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
