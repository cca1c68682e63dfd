import { HarnessError } from '../errors.ts';
import type { StartedPostgres } from '../model/environment.ts';
import type { BackendOutcome } from './backend-choice.ts';
import { describeError } from './describe-error.ts';
import { probePostgres } from './probe-postgres.ts';
import { parsePostgresUrl } from './postgres-url-parts.ts';
import { redactUrl } from './redact-url.ts';

const PROBE_TIMEOUT_MS = 10_000;
const URL_FORM = 'postgres://user:password@host:port/database';

/**
 * Uses the Postgres that `DATABASE_URL` names. A set but unusable URL ends the search: the user
 * asked for that database, and falling back to another one would hide the mistake.
 */
export async function startUrlPostgres(url: string | undefined): Promise<BackendOutcome<StartedPostgres>> {
  if (url === undefined || url === '') {
    return { failed: 'DATABASE_URL is not set; set it to postgres://user:password@host:port/database' };
  }

  let parts;
  try {
    parts = parsePostgresUrl(url);
  } catch (error) {
    // A value that is not a Postgres URL is a configuration mistake, not a database that failed.
    const reason = describeError(error);
    const form = reason.includes(URL_FORM) ? '' : ` Set it to the form ${URL_FORM}.`;
    throw new HarnessError(
      'WUC_ERR_USAGE_INVALID_ENV',
      `DATABASE_URL is invalid: ${reason}.${form} Or unset it to let the harness start Postgres.`,
      { cause: error },
    );
  }

  let version: string;
  try {
    version = await probePostgres(url, PROBE_TIMEOUT_MS);
  } catch (error) {
    return {
      failed:
        `DATABASE_URL ${redactUrl(url)} did not respond to SELECT 1: ${describeError(error)}; ` +
        'start that server, fix DATABASE_URL, or unset it to let the harness start Postgres',
      cause: error,
      final: true,
    };
  }

  return {
    started: {
      kind: 'url',
      adminUrl: url,
      ...parts,
      version,
      // The server belongs to the user, so stopping the environment leaves it running.
      stop: async () => {},
    },
    reason: `DATABASE_URL is set (${redactUrl(url)})`,
  };
}
