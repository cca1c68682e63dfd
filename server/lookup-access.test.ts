import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySchema } from './database.ts';
import { DatabaseUnavailableError } from './errors.ts';
import { lookupAccess } from './lookup-access.ts';
import { startTestPostgres, type TestPostgres } from './test-postgres.ts';

let postgres: TestPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  postgres = await startTestPostgres();
  pool = new pg.Pool({ connectionString: postgres.url, max: 1 });
  await applySchema(pool);
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await postgres?.stop();
});

const request = { userId: 'user-0001', channel: 'lobby', jti: 'some-token-id' };

describe('lookupAccess', () => {
  it('returns the facts of a permitted user', async () => {
    expect(await lookupAccess(pool, request)).toEqual({ userExists: true, disabled: false, permitted: true, revoked: false });
  });

  it('skips the query once aborted', async () => {
    const held = await pool.connect();
    const controller = new AbortController();
    const reason = new Error('client gone');
    const lookup = lookupAccess(pool, request, controller.signal);
    controller.abort(reason);
    let queries = 0;
    pool.once('acquire', (client: pg.PoolClient) => {
      const original = client.query.bind(client);
      client.query = ((...args: Parameters<typeof original>) => {
        queries += 1;
        return original(...args);
      }) as typeof client.query;
    });
    held.release();

    await expect(lookup).rejects.toBe(reason);
    expect(queries).toBe(0);
    expect(pool.idleCount).toBe(1);
  });

  it('maps a failed query to unavailable', async () => {
    const broken = new pg.Pool({ connectionString: postgres.url.replace(/\/[^/]*$/, '/no_such_database'), max: 1 });
    try {
      await expect(lookupAccess(broken, request)).rejects.toThrow(DatabaseUnavailableError);
    } finally {
      await broken.end();
    }
  });
});
