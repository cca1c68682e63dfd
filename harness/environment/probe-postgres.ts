import pg from 'pg';

/**
 * Connects to `url`, checks that `SELECT 1` returns and reads `SHOW server_version`. Rejects with
 * pg's error when the server does not respond within `timeoutMs` or refuses the login.
 */
export async function probePostgres(url: string, timeoutMs: number): Promise<string> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // A connection error after connect() also rejects the pending query, which reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    const version = result.rows[0]?.server_version;
    if (version === undefined) throw new Error('SHOW server_version returned no row');
    return version;
  } finally {
    await client.end().catch(() => {
      // The probe's outcome is already decided; a failed close leaves nothing to clean up.
    });
  }
}
