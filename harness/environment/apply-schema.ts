import pg from 'pg';

import { HarnessError } from '../errors.ts';
import { describeError } from './describe-error.ts';
import { redactUrl } from './redact-url.ts';

const CONNECT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 60_000;

/**
 * Runs `sql` (one or more statements) on the database at `adminUrl`, connected directly and not
 * through the proxy, so toxics cannot fail the setup. Without explicit BEGIN/COMMIT, Postgres runs
 * a multi-statement string as one transaction (protocol docs, "Multiple Statements in a Simple
 * Query"), so a failed schema leaves nothing behind.
 */
export async function applySchema(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({
    connectionString: adminUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  // A connection error during the query also rejects the query, which reports it.
  client.on('error', () => undefined);

  try {
    await client.connect();
  } catch (error) {
    throw new HarnessError(
      'WUC_ERR_ENV_SCHEMA_FAILED',
      `Could not connect to ${redactUrl(adminUrl)} to apply the schema: ${describeError(error)}.`,
      { cause: error },
    );
  }
  try {
    await client.query(sql);
  } catch (error) {
    throw new HarnessError('WUC_ERR_ENV_SCHEMA_FAILED', describeSchemaFailure(sql, error), { cause: error });
  } finally {
    await client.end().catch(() => {
      // The schema outcome is already decided and the server drops the session on its own.
    });
  }
}

/** Names the line and column that Postgres's 1-based character `position` points at. */
function describeSchemaFailure(sql: string, error: unknown): string {
  const message = describeError(error);
  const { position, hint } =
    error instanceof pg.DatabaseError ? error : { position: undefined, hint: undefined };
  const suffix = hint === undefined ? '' : ` Hint: ${hint}.`;
  const offset = Number(position);
  if (position === undefined || !Number.isInteger(offset) || offset < 1) {
    return `The schema failed: ${message}. Fix the schema SQL.${suffix}`;
  }

  const before = sql.slice(0, offset - 1).split('\n');
  const line = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  const text = sql.split('\n')[line - 1]?.trim() ?? '';
  const where = `line ${line}, column ${column} (${text})`;
  return `The schema failed at ${where}: ${message}. Fix the schema SQL.${suffix}`;
}
