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

/** Looks up user, permission and revocation. Throws `DatabaseUnavailableError` on any pg error. */
export async function lookupAccess(
  pool: pg.Pool,
  request: { userId: string; channel: string; jti: string },
): Promise<AccessFacts> {
  let result: pg.QueryResult<AccessFacts>;
  try {
    result = await pool.query<AccessFacts>({
      name: 'lookup-access',
      text: LOOKUP_ACCESS_SQL,
      values: [request.userId, request.channel, request.jti],
    });
  } catch (err) {
    throw databaseUnavailable('permission lookup', err);
  }

  const row = result.rows[0];
  if (row === undefined) throw databaseUnavailable('permission lookup', new Error('query returned no row'));
  return row;
}
