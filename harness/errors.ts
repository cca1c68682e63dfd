/**
 * Every error the harness throws, keyed by code. `exit` is the process exit code the CLI maps the
 * error to: 2 for usage or configuration errors, 3 for environment failures.
 */
export const ERROR_CODES = {
  WUC_ERR_USAGE_UNKNOWN_OPTION: { exit: 2, meaning: 'A command-line option is not known.' },
  WUC_ERR_USAGE_INVALID_OPTION: { exit: 2, meaning: 'A command-line option has an invalid value.' },
  WUC_ERR_SCENARIO_UNKNOWN: { exit: 2, meaning: 'A --filter name matches no scenario.' },
  WUC_ERR_SCENARIO_INVALID: { exit: 2, meaning: 'A scenario definition is invalid.' },
  WUC_ERR_TARGET_CONFIG_INVALID: { exit: 2, meaning: 'The target config is missing or invalid.' },
  WUC_ERR_ENV_POSTGRES_UNAVAILABLE: { exit: 3, meaning: 'No Postgres backend could be started.' },
  WUC_ERR_ENV_TOXIPROXY_UNAVAILABLE: { exit: 3, meaning: 'No Toxiproxy backend could be started.' },
  WUC_ERR_ENV_SCHEMA_FAILED: { exit: 3, meaning: 'The target schema could not be applied.' },
  WUC_ERR_ENV_TIMEOUT: {
    exit: 3,
    meaning: 'Starting or stopping Postgres or Toxiproxy did not finish within its deadline.',
  },
  WUC_ERR_TOXIPROXY_API: { exit: 3, meaning: 'The Toxiproxy API answered with an error.' },
  WUC_ERR_TOXIPROXY_TIMEOUT: { exit: 3, meaning: 'A Toxiproxy API call got no answer within its deadline.' },
  WUC_ERR_USAGE_INVALID_ENV: { exit: 2, meaning: 'An environment variable such as DATABASE_URL has an invalid value.' },
  WUC_ERR_TARGET_START_FAILED: { exit: 3, meaning: 'The target exited or never became ready.' },
} as const satisfies Record<string, { exit: 2 | 3; meaning: string }>;

export type HarnessErrorCode = keyof typeof ERROR_CODES;

/** Base class of every error the harness throws on purpose. */
export class HarnessError extends Error {
  readonly code: HarnessErrorCode;

  constructor(code: HarnessErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HarnessError';
    this.code = code;
  }

  /** Process exit code for this error. */
  get exitCode(): 2 | 3 {
    return ERROR_CODES[this.code].exit;
  }
}

/** One backend the environment tried, and why it was not used. */
export interface BackendAttempt {
  backend: string;
  reason: string;
}

/** No backend of one dependency could be started; lists each one tried and why it failed. */
export class EnvironmentError extends HarnessError {
  readonly attempts: readonly BackendAttempt[];

  constructor(
    code: 'WUC_ERR_ENV_POSTGRES_UNAVAILABLE' | 'WUC_ERR_ENV_TOXIPROXY_UNAVAILABLE',
    summary: string,
    attempts: BackendAttempt[],
    options?: ErrorOptions,
  ) {
    const lines = attempts.map((attempt) => `  - ${attempt.backend}: ${attempt.reason}`);
    super(code, [summary, ...lines].join('\n'), options);
    this.name = 'EnvironmentError';
    this.attempts = attempts;
  }
}

/** The Toxiproxy API answered with an error status; keeps the status and the response body. */
export class ToxiproxyApiError extends HarnessError {
  readonly status: number;
  readonly body: unknown;

  constructor(message: string, status: number, body: unknown, options?: ErrorOptions) {
    super('WUC_ERR_TOXIPROXY_API', message, options);
    this.name = 'ToxiproxyApiError';
    this.status = status;
    this.body = body;
  }
}
