import { once } from 'node:events';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from './config.ts';
import { applySchema } from './database.ts';
import { createLogger } from './logger.ts';
import { startServer, type RunningServer } from './server.ts';
import { attemptUpgrade, cleanup, signToken, TEST_SECRET, type UpgradeResult } from './test-client.ts';
import { startTestPostgres, type TestPostgres } from './test-postgres.ts';

let postgres: TestPostgres;
let adminPool: pg.Pool;
const unhandledRejections: unknown[] = [];
const recordRejection = (reason: unknown) => unhandledRejections.push(reason);

beforeAll(async () => {
  postgres = await startTestPostgres();
  adminPool = new pg.Pool({ connectionString: postgres.url, max: 2 });
  await applySchema(adminPool);
  process.on('unhandledRejection', recordRejection);
});

afterAll(async () => {
  process.off('unhandledRejection', recordRejection);
  await adminPool?.end();
  await postgres?.stop();
});

afterEach(() => {
  cleanup();
  expect(unhandledRejections).toEqual([]);
});

/** Starts a server with the Postgres rate limit store plus `env`; closed after the test. */
async function startPostgresStoreServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({
    DATABASE_URL: postgres.url,
    JWT_SECRET: TEST_SECRET,
    PORT: '0',
    RATE_LIMIT_STORE: 'postgres',
    ...env,
  });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const server = await startServer(config, { logger: createLogger('debug', sink) });
  onTestFinished(() => server.close());
  return server;
}

/** Starts a TCP server that resets each connection at once; returns a Postgres URL to it. */
async function startResettingPort(): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.destroy();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

function bearer(token: string) {
  return { headers: { Authorization: `Bearer ${token}` } };
}

function statusOf(result: UpgradeResult): number {
  if (result.kind === 'open') result.ws.terminate();
  return result.kind === 'open' ? 101 : result.status;
}

/** Phase names of a `Server-Timing` header, in order, for example `['token', 'limit']`. */
function phasesOf(result: UpgradeResult): string[] {
  const headers = result.kind === 'open' ? result.responseHeaders : result.headers;
  const value = headers['server-timing'];
  if (typeof value !== 'string') return [];
  return value.split(',').map((entry) => entry.trim().split(';')[0] ?? '');
}

describe('postgres rate limit store', () => {
  it('keeps counters across server restarts', async () => {
    const env = { RATE_LIMIT_POINTS: '2', RATE_LIMIT_DURATION_S: '60' };
    const token = await signToken({ sub: 'user-0101' });
    const first = await startPostgresStoreServer(env);
    expect(statusOf(await attemptUpgrade(first.url, bearer(token)))).toBe(101);
    expect(statusOf(await attemptUpgrade(first.url, bearer(token)))).toBe(101);
    await first.close();

    const second = await startPostgresStoreServer(env);
    const limited = await attemptUpgrade(second.url, bearer(token));
    expect(statusOf(limited)).toBe(429);
    if (limited.kind === 'rejected') expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    const row = await adminPool.query('SELECT points FROM rate_limits WHERE key = $1', ['upgrade:user-0101']);
    expect(row.rows).toEqual([{ points: 3 }]);
  });

  it('answers 503 when its database fails', async () => {
    const server = await startPostgresStoreServer({
      RATE_LIMIT_DATABASE_URL: await startResettingPort(),
      PG_CONNECT_TIMEOUT_MS: '2000',
    });
    const result = await attemptUpgrade(server.url, bearer(await signToken({ sub: 'user-0102' })));

    expect(statusOf(result)).toBe(503);
    expect(phasesOf(result)).toEqual(['token', 'limit']);
    expect(server.metricsSnapshot().upgrades.rejected).toEqual({ '503': 1 });
  });
});

describe('Server-Timing header', () => {
  it('names all three phases on the 101', async () => {
    const server = await startPostgresStoreServer();
    const result = await attemptUpgrade(server.url, bearer(await signToken({ sub: 'user-0103' })));

    expect(statusOf(result)).toBe(101);
    expect(phasesOf(result)).toEqual(['token', 'limit', 'lookup']);
    const headers = result.kind === 'open' ? result.responseHeaders : {};
    expect(headers['server-timing']).toMatch(/^token;dur=[\d.]+, limit;dur=[\d.]+, lookup;dur=[\d.]+$/);
  });

  it('names the phases a rejection ran', async () => {
    const server = await startPostgresStoreServer({ RATE_LIMIT_POINTS: '1', RATE_LIMIT_DURATION_S: '60' });
    const badSignature = await signToken({ sub: 'user-0104', secret: 'x'.repeat(48) });
    const limitedToken = await signToken({ sub: 'user-0105' });
    const url = server.url;

    const invalid = await attemptUpgrade(url, bearer(badSignature));
    expect(statusOf(invalid)).toBe(401);
    expect(phasesOf(invalid)).toEqual(['token']);

    expect(statusOf(await attemptUpgrade(url, bearer(limitedToken)))).toBe(101);
    const limited = await attemptUpgrade(url, bearer(limitedToken));
    expect(statusOf(limited)).toBe(429);
    expect(phasesOf(limited)).toEqual(['token', 'limit']);

    const forbidden = await attemptUpgrade(`${url}?channel=admin`, bearer(await signToken({ sub: 'user-0106' })));
    expect(statusOf(forbidden)).toBe(403);
    expect(phasesOf(forbidden)).toEqual(['token', 'limit', 'lookup']);

    const missing = await attemptUpgrade(url);
    expect(statusOf(missing)).toBe(401);
    expect(phasesOf(missing)).toEqual([]);
  });
});
