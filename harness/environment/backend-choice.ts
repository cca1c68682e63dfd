import type { Logger } from 'pino';

import { type BackendAttempt, EnvironmentError, HarnessError } from '../errors.ts';

/** The result of one backend's start: the started value, or why the backend was not used. */
export type BackendOutcome<T> =
  | { started: T; reason: string }
  | {
      failed: string;
      cause?: unknown;
      /** Stops the search: set when the user named this backend, so a fallback would hide the problem. */
      final?: boolean;
    };

export interface Backend<K extends string, T> {
  kind: K;
  /** Name in messages, for example `url (DATABASE_URL)`. */
  label: string;
  /** Advice shown in place of the choice's advice when only this backend was tried. */
  advice: string;
  start(): Promise<BackendOutcome<T>>;
}

export interface BackendChoice<K extends string, T> {
  dependency: 'postgres' | 'toxiproxy';
  code: 'WUC_ERR_ENV_POSTGRES_UNAVAILABLE' | 'WUC_ERR_ENV_TOXIPROXY_UNAVAILABLE';
  /** First sentence of the error, naming the dependency. */
  summary: string;
  /** Advice naming the variable to set or the engine to start, when every backend was tried. */
  advice: string;
  /** Variable that forces one backend, for example `WUC_POSTGRES`. */
  forceVariable: string;
  env: NodeJS.ProcessEnv;
  /** Backends in order of preference. */
  backends: Backend<K, T>[];
  logger: Logger;
}

/**
 * Starts the first backend that works, in order, or only the one the force variable names.
 * Throws an `EnvironmentError` listing every backend tried and why it was not used.
 */
export async function chooseBackend<K extends string, T>(choice: BackendChoice<K, T>): Promise<T> {
  const { dependency, logger } = choice;
  const forced = readForcedBackend(choice);
  const candidates = choice.backends.filter((backend) => forced === undefined || backend.kind === forced);

  const attempts: BackendAttempt[] = [];
  const causes: unknown[] = [];
  for (const backend of candidates) {
    const outcome = await startSafely(backend);
    if ('started' in outcome) {
      logger.info({ dependency, backend: backend.kind, reason: outcome.reason }, 'backend chosen');
      return outcome.started;
    }

    logger.info({ dependency, backend: backend.kind, reason: outcome.failed }, 'backend not used');
    attempts.push({ backend: backend.label, reason: outcome.failed });
    if (outcome.cause !== undefined) causes.push(outcome.cause);
    if (outcome.final === true) break;
  }

  const scope = forced === undefined ? '' : ` (${choice.forceVariable}=${forced} allows only that backend)`;
  const advice = adviseOn(choice, candidates.slice(0, attempts.length), forced);
  const cause = causes.length > 1 ? new AggregateError(causes, 'every backend failed') : causes[0];
  throw new EnvironmentError(
    choice.code,
    `${choice.summary}${scope}. ${advice} Backends tried:`,
    attempts,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Returns the choice's advice when every backend was tried, or else only the advice of those
 * tried: advice about a backend that was never tried would send the user the wrong way.
 */
function adviseOn<K extends string, T>(choice: BackendChoice<K, T>, tried: Backend<K, T>[], forced: K | undefined): string {
  if (tried.length === choice.backends.length) return choice.advice;
  const advice = tried.map((backend) => backend.advice).join(' ');
  return forced === undefined ? advice : `${advice} Or unset ${choice.forceVariable} to let the harness choose.`;
}

function readForcedBackend<K extends string, T>(choice: BackendChoice<K, T>): K | undefined {
  const value = choice.env[choice.forceVariable];
  if (value === undefined || value === '') return undefined;

  const kinds = choice.backends.map((backend) => backend.kind);
  const match = kinds.find((kind) => kind === value);
  if (match === undefined) {
    throw new HarnessError(
      'WUC_ERR_USAGE_INVALID_OPTION',
      `${choice.forceVariable} is '${value}', which names no ${choice.dependency} backend; ` +
        `set it to one of ${kinds.join(', ')} or unset it.`,
    );
  }
  return match;
}

async function startSafely<K extends string, T>(backend: Backend<K, T>): Promise<BackendOutcome<T>> {
  try {
    return await backend.start();
  } catch (error) {
    // A usage error (an invalid DATABASE_URL, say) ends the run with exit 2, whatever else works.
    if (error instanceof HarnessError && error.exitCode === 2) throw error;
    return { failed: error instanceof Error ? error.message : String(error), cause: error };
  }
}
