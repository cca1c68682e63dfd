import pg from 'pg';
import { describeError } from '../environment/describe-error.ts';

/**
 * `application_name` for the harness's own connections to Postgres. Backends whose name starts
 * with it are left out of target counts, so harness code that sets it is never counted.
 */
export const HARNESS_APPLICATION_NAME = 'wuc-harness';

/** Time allowed to connect and to run the count, in ms. */
const CONNECT_TIMEOUT_MS = 5_000;
const QUERY_TIMEOUT_MS = 5_000;

/**
 * Client sessions on `database` that are not the harness's own. The target reaches Postgres
 * through the proxy with the harness's credentials, so neither the user nor the client address
 * tells the two apart. The application name does.
 */
const COUNT_SQL = `
SELECT count(*)::int AS backends
FROM pg_stat_activity
WHERE datname = $1
  AND backend_type = 'client backend'
  AND pid <> pg_backend_pid()
  AND coalesce(application_name, '') NOT LIKE $2`;

/** The same sessions, one row each, for the evidence of a finding. */
const DESCRIBE_SQL = `
SELECT pid, state, round(extract(epoch FROM now() - state_change) * 1000)::int AS "stateMs",
  left(regexp_replace(query, '\\s+', ' ', 'g'), 80) AS query
FROM pg_stat_activity
WHERE datname = $1
  AND backend_type = 'client backend'
  AND pid <> pg_backend_pid()
  AND coalesce(application_name, '') NOT LIKE $2
ORDER BY state_change
LIMIT 20`;

/** The result of one count: the number, or why it could not be taken. */
export type BackendCount = { ok: true; backends: number } | { ok: false; reason: string };

/**
 * Counts the target's sessions on `database` from `pg_stat_activity`, over a short-lived
 * connection to `adminUrl` (directly, not through the proxy, so toxics cannot delay it).
 * Never rejects: a failure is returned with its reason, because a missing count is evidence
 * the report shows, not an error that stops the run.
 */
export async function countBackends(adminUrl: string, database: string): Promise<BackendCount> {
  const result = await withAdminClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ backends: number }>(COUNT_SQL, [database, `${HARNESS_APPLICATION_NAME}%`]);
    return rows[0]?.backends ?? 0;
  });
  return result.ok ? { ok: true, backends: result.value } : result;
}

/**
 * Describes up to 20 of the target's sessions on `database`, oldest state change first, as
 * `pid 4711: idle for 8200 ms, last query: SELECT ...`. A failure becomes one line with its reason.
 */
export async function describeBackends(adminUrl: string, database: string): Promise<string[]> {
  type Row = { pid: number; state: string | null; stateMs: number | null; query: string | null };
  const result = await withAdminClient(adminUrl, async (client) => {
    const { rows } = await client.query<Row>(DESCRIBE_SQL, [database, `${HARNESS_APPLICATION_NAME}%`]);
    return rows.map((row) => `pid ${row.pid}: ${row.state ?? 'unknown state'} for ${row.stateMs ?? '?'} ms, last query: ${row.query ?? ''}`);
  });
  return result.ok ? result.value : [`the sessions could not be listed: ${result.reason}`];
}

/** Runs `use` on a short-lived admin connection; never rejects. */
async function withAdminClient<T>(
  adminUrl: string,
  use: (client: pg.Client) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
  const client = new pg.Client({
    connectionString: adminUrl,
    application_name: HARNESS_APPLICATION_NAME,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  // A connection error during the query also rejects the query, which reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return { ok: true, value: await use(client) };
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  } finally {
    await client.end().catch(() => {
      // The statement already ran or failed, and Postgres drops the session on its own.
    });
  }
}
