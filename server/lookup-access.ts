import type pg from 'pg';
import { databaseUnavailable } from './database.ts';

/** Database facts about one upgrade request. */
export interface AccessFacts {
  userExists: boolean;
  disabled: boolean;
  permitted: boolean;
  revoked: boolean;
}

/**
 * One round trip for all four facts. The `(SELECT 1)` row keeps the result at exactly one row
 * when the user does not exist. A named statement is parsed once per pool connection.
 */
const LOOKUP_ACCESS_SQL = `
SELECT
  u.id IS NOT NULL AS "userExists",
  coalesce(u.disabled, false) AS "disabled",
  EXISTS (SELECT 1 FROM permissions p WHERE p.user_id = $1 AND p.channel = $2) AS "permitted",
  EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = $3) AS "revoked"
FROM (SELECT 1) AS one
LEFT JOIN users u ON u.id = $1`;

/**
 * Looks up user, permission and revocation. Throws `DatabaseUnavailableError` on any pg error.
 * Throws `signal.reason` when the verification was aborted (client gone, deadline, shutdown)
 * by the time a pool client is free, so an abandoned upgrade does not spend a query.
 */
export async function lookupAccess(
  pool: pg.Pool,
  request: { userId: string; channel: string; jti: string },
  signal?: AbortSignal,
): Promise<AccessFacts> {
  // NOTE: pg-pool cannot cancel a waiting checkout, so an aborted lookup still waits its turn
  // and then hands the client straight back. A query already sent runs to its end.
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw databaseUnavailable('permission lookup', err);
  }
  if (signal?.aborted === true) {
    client.release();
    throw signal.reason;
  }

  // pg-pool listens for a client's 'error' only while the client is idle. A connection reset
  // during the query also rejects the query, so this listener only keeps the 'error' event
  // from becoming an uncaught exception, as pool.query's own listener does.
  const ignoreError = () => undefined;
  client.on('error', ignoreError);
  let result: pg.QueryResult<AccessFacts>;
  try {
    result = await client.query<AccessFacts>({
      name: 'lookup-access',
      text: LOOKUP_ACCESS_SQL,
      values: [request.userId, request.channel, request.jti],
    });
  } catch (err) {
    // Like pool.query: a client whose query failed is destroyed instead of reused.
    client.off('error', ignoreError);
    client.release(err instanceof Error ? err : true);
    throw databaseUnavailable('permission lookup', err);
  }
  client.off('error', ignoreError);
  client.release();

  const row = result.rows[0];
  if (row === undefined) throw databaseUnavailable('permission lookup', new Error('query returned no row'));
  return row;
}
