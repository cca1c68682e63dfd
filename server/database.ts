import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.ts';
import { DatabaseUnavailableError, SchemaError } from './errors.ts';

/** Absolute path of the schema and seed rows the server expects. */
export const SCHEMA_PATH = fileURLToPath(new URL('./schema.sql', import.meta.url));

/**
 * Extra time the client-side `query_timeout` allows beyond `statement_timeout`, in ms. Postgres
 * then cancels a slow statement first and the connection stays usable; the client-side timer
 * is the backstop for a link that never responds at all.
 */
const QUERY_TIMEOUT_MARGIN_MS = 1_000;

/** Anything with pg's promise `query(text)`: a `Pool`, a `Client` or a `PoolClient`. */
export interface Queryable {
  query(text: string): Promise<unknown>;
}

/**
 * Creates the connection pool. An idle client's `error` (the database restarting, a proxy
 * resetting the link) is logged at warn; without the listener it would crash the process.
 */
export function createPool(config: ServerConfig, logger: Logger): pg.Pool {
  const { statementTimeoutMs } = config.pg;
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    max: config.pg.poolMax,
    connectionTimeoutMillis: config.pg.connectTimeoutMs,
    idleTimeoutMillis: config.pg.idleTimeoutMs,
    // pg sends statement_timeout only when it is non-zero, so 0 keeps the server's default.
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs === 0 ? 0 : statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
    application_name: 'ws-upgrade-chaos-server',
  });

  pool.on('error', (err) => logger.warn({ err }, 'idle database client failed'));
  return pool;
}

/** Applies schema.sql (or the file at `schemaPath`) to the database. Idempotent. */
export async function applySchema(db: Queryable, schemaPath: string = SCHEMA_PATH): Promise<void> {
  let sql: string;
  try {
    sql = await readFile(schemaPath, 'utf8');
  } catch (err) {
    throw new SchemaError(`cannot read schema file ${schemaPath}; check that the file exists`, { cause: err });
  }

  try {
    await db.query(sql);
  } catch (err) {
    throw new SchemaError(`applying ${schemaPath} failed; see the cause for the Postgres error`, { cause: err });
  }
}

/**
 * Returns true when the database responds to `SELECT 1` within `timeoutMs`. A late response or
 * failure of the query is absorbed, so losing the race never leaves a rejection unhandled.
 */
export async function pingDatabase(pool: pg.Pool, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const query = pool.query('SELECT 1').then(
    () => true,
    () => false,
  );
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });

  try {
    return await Promise.race([query, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Wraps any pg or pool failure so the upgrade policy maps it to 503. */
export function databaseUnavailable(action: string, cause: unknown): DatabaseUnavailableError {
  return new DatabaseUnavailableError(`${action} failed: the database query failed or timed out`, { cause });
}
