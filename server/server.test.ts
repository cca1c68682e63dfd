import { once } from 'node:events';
import { exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from './config.ts';
import { applySchema } from './database.ts';
import { createLogger } from './logger.ts';
import { startServer, type RunningServer } from './server.ts';
import {
  attemptUpgrade,
  cleanup,
  rawConnect,
  rawUpgradeRequest,
  readUntil,
  signToken,
  TEST_AUDIENCE,
  TEST_ISSUER,
  TEST_SECRET,
  waitForClose,
  waitUntil,
  withDeadline,
  type UpgradeResult,
} from './test-client.ts';
import { startTestPostgres, type TestPostgres } from './test-postgres.ts';

let postgres: TestPostgres;
let adminPool: pg.Pool;
const logLines: string[] = [];
const unhandledRejections: unknown[] = [];
const recordRejection = (reason: unknown) => unhandledRejections.push(reason);

beforeAll(async () => {
  postgres = await startTestPostgres();
  adminPool = new pg.Pool({ connectionString: postgres.url, max: 2 });
  await applySchema(adminPool);
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

/** Starts a server on port 0 with test settings plus `env`; it is closed after the test. */
async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({
    DATABASE_URL: postgres.url,
    JWT_SECRET: TEST_SECRET,
    PORT: '0',
    RATE_LIMIT_POINTS: '1000',
    ...env,
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      done();
    },
  });
  const server = await startServer(config, { logger: createLogger('debug', sink) });
  onTestFinished(() => server.close());
  return server;
}

/** Starts a TCP server standing in for Postgres; `onConnection` decides what it does. */
async function startFakeDatabase(onConnection: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
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

function expectRejected(result: UpgradeResult, status: number) {
  if (result.kind !== 'rejected') throw new Error(`expected HTTP ${status}, but the upgrade was accepted`);
  expect(result.status).toBe(status);
  return result;
}

function expectOpen(result: UpgradeResult) {
  if (result.kind !== 'open') throw new Error(`expected an open socket, got HTTP ${result.status} ${result.body}`);
  return result;
}

/** Encodes a short client-to-server text frame, masked as RFC 6455 section 5.3 requires. */
function maskedTextFrame(text: string): string {
  const payload = Buffer.from(text, 'utf8');
  const mask = Buffer.from([0x11, 0x22, 0x33, 0x44]);
  const masked = payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]).toString('latin1');
}

async function httpGet(server: RunningServer, path: string) {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('accepted upgrades', () => {
  it('sends welcome then echoes text', async () => {
    const server = await startTestServer();
    const open = expectOpen(await attemptUpgrade(server.url, bearer(await signToken({ sub: 'user-0042' }))));

    expect(open.welcome).toEqual({ type: 'welcome', userId: 'user-0042' });
    open.ws.send('hello');
    const [echo] = await withDeadline(once(open.ws, 'message'), 5_000, 'the echo');
    expect(JSON.parse(String(echo))).toEqual({ type: 'echo', data: 'hello' });
    expect(server.metricsSnapshot().upgrades.accepted).toBe(1);
    expect(server.metricsSnapshot().openConnections).toBe(1);
  });

  it('selects bearer for the subprotocol transport', async () => {
    const server = await startTestServer();
    const token = await signToken({ sub: 'user-0002' });
    const open = expectOpen(await attemptUpgrade(server.url, { protocols: ['bearer', token] }));

    expect(open.welcome).toEqual({ type: 'welcome', userId: 'user-0002' });
    expect(open.ws.protocol).toBe('bearer');
    expect(open.responseHeaders['sec-websocket-protocol']).toBe('bearer');
  });

  it.each([
    ['query parameter', (token: string) => ({ path: `?channel=lobby&access_token=${token}`, headers: {} })],
    ['cookie', (token: string) => ({ path: '', headers: { Cookie: `theme=dark; access_token=${token}` } })],
  ])('accepts the token as a %s', async (_transport, build) => {
    const server = await startTestServer();
    const request = build(await signToken({ sub: 'user-0003' }));
    const open = expectOpen(await attemptUpgrade(server.url + request.path, { headers: request.headers }));

    expect(open.welcome).toEqual({ type: 'welcome', userId: 'user-0003' });
  });

  it('gives concurrent clients their own identity', async () => {
    const server = await startTestServer();
    const userIds = Array.from({ length: 20 }, (_, i) => `user-${String(i + 100).padStart(4, '0')}`);
    const results = await Promise.all(
      userIds.map(async (sub) => attemptUpgrade(server.url, bearer(await signToken({ sub })))),
    );

    expect(results.map((result) => expectOpen(result).welcome)).toEqual(
      userIds.map((userId) => ({ type: 'welcome', userId })),
    );
  });

  it('keeps frames sent before the 101', async () => {
    const server = await startTestServer();
    const lock = await adminPool.connect();
    onTestFinished(() => lock.release());
    await lock.query('BEGIN; LOCK TABLE revoked_tokens IN ACCESS EXCLUSIVE MODE');
    const request = rawUpgradeRequest('/ws', {
      Authorization: `Bearer ${await signToken({ sub: 'user-0030' })}`,
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    });

    // The first frame arrives with the request head, the second while verification waits.
    const socket = await rawConnect(server.port, request + maskedTextFrame('first'));
    await waitUntil(() => server.metricsSnapshot().pendingVerifications === 1, 5_000, 'the blocked verification');
    socket.write(maskedTextFrame('second'), 'latin1');
    await lock.query('ROLLBACK');

    const received = await readUntil(socket, '"data":"second"}', 5_000);
    expect(received.startsWith('HTTP/1.1 101 Switching Protocols\r\n')).toBe(true);
    expect(received).toContain('{"type":"welcome","userId":"user-0030"}');
    expect(received).toContain('{"type":"echo","data":"first"}');
    expect(received).toContain('{"type":"echo","data":"second"}');
  });
});

describe('rejected upgrades', () => {
  it.each([
    ['missing token', 401, async () => ({})],
    ['malformed token', 401, async () => bearer('not-a-jwt')],
    ['non-bearer authorization', 401, async () => ({ headers: { Authorization: 'Basic dXNlcjpwYXNz' } })],
    ['bad signature', 401, async () => bearer(await signToken({ secret: 'another-secret-the-server-never-saw-0123456789' }))],
    ['algorithm not allowed', 401, async () => bearer(await signToken({ alg: 'HS512', secret: 'x'.repeat(64) }))],
    ['wrong issuer', 401, async () => bearer(await signToken({ iss: 'someone-else' }))],
    ['wrong audience', 401, async () => bearer(await signToken({ aud: 'someone-else' }))],
    ['unknown user', 401, async () => bearer(await signToken({ sub: 'user-unknown' }))],
    ['expired token', 401, async () => bearer(await signToken({ expInS: -3600 }))],
    ['token not yet valid', 401, async () => bearer(await signToken({ nbfInS: 3600 }))],
    ['user without permission', 403, async () => bearer(await signToken({ sub: 'user-no-permission' }))],
    ['disabled user', 403, async () => bearer(await signToken({ sub: 'user-disabled' }))],
    ['revoked token', 403, async () => bearer(await signToken({ jti: 'revoked-token-id' }))],
  ] as const)('%s gets %i', async (_name, status, buildRequest) => {
    const server = await startTestServer();
    const rejected = expectRejected(await attemptUpgrade(server.url, await buildRequest()), status);

    expect(rejected.statusMessage).toBe(status === 401 ? 'Unauthorized' : 'Forbidden');
    expect(rejected.body).toBe(rejected.statusMessage);
    expect(rejected.headers['content-type']).toBe('text/plain');
    expect(rejected.headers['content-length']).toBe(String(rejected.body.length));
    expect(rejected.headers.connection).toBe('close');
    expect(rejected.headers['retry-after']).toBeUndefined();
    expect(server.metricsSnapshot().upgrades.rejected).toEqual({ [String(status)]: 1 });
  });

  it('other channel gets 403', async () => {
    const server = await startTestServer();
    const token = await signToken({ sub: 'user-0001' });

    expectRejected(await attemptUpgrade(`${server.url}?channel=staff`, bearer(token)), 403);
  });

  it('unknown path gets 404', async () => {
    const server = await startTestServer();
    const url = server.url.replace('/ws', '/socket');

    expectRejected(await attemptUpgrade(url, bearer(await signToken())), 404);
  });

  it('rate limit gets 429 with Retry-After', async () => {
    const server = await startTestServer({ RATE_LIMIT_POINTS: '2', RATE_LIMIT_DURATION_S: '30' });
    const token = await signToken({ sub: 'user-0007' });
    expectOpen(await attemptUpgrade(server.url, bearer(token)));
    expectOpen(await attemptUpgrade(server.url, bearer(token)));

    const limited = expectRejected(await attemptUpgrade(server.url, bearer(token)), 429);
    expect(limited.statusMessage).toBe('Too Many Requests');
    const retryAfterS = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfterS)).toBe(true);
    expect(retryAfterS).toBeGreaterThanOrEqual(1);
    expect(retryAfterS).toBeLessThanOrEqual(30);
    expectOpen(await attemptUpgrade(server.url, bearer(await signToken({ sub: 'user-0008' }))));
  });

  it('malformed handshake gets 400', async () => {
    const server = await startTestServer();
    const token = await signToken();
    const socket = await rawConnect(server.port, rawUpgradeRequest('/ws', { Authorization: `Bearer ${token}` }));

    const response = await readUntil(socket, '\r\n\r\n', 5_000);
    expect(response.startsWith('HTTP/1.1 400 Bad Request\r\n')).toBe(true);
    expect(server.metricsSnapshot().upgrades.rejected).toEqual({ '400': 1 });
  });
});

describe('database faults', () => {
  it('idle client error does not crash', async () => {
    const server = await startTestServer();
    expectOpen(await attemptUpgrade(server.url, bearer(await signToken({ sub: 'user-0020' }))));
    await waitUntil(() => server.metricsSnapshot().database.idleClients === 1, 5_000, 'an idle pool client');

    await adminPool.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ws-upgrade-chaos-server'",
    );
    await waitUntil(() => logLines.some((line) => line.includes('idle database client failed')), 5_000, 'the pool error log');

    expect(server.metricsSnapshot().database.totalClients).toBe(0);
    expectOpen(await attemptUpgrade(server.url, bearer(await signToken({ sub: 'user-0021' }))));
  });

  it('unreachable database gets 503', async () => {
    const databaseUrl = await startFakeDatabase((socket) => socket.destroy());
    const server = await startTestServer({ DATABASE_URL: databaseUrl });

    const rejected = expectRejected(await attemptUpgrade(server.url, bearer(await signToken())), 503);
    expect(rejected.statusMessage).toBe('Service Unavailable');
    expect(rejected.headers['retry-after']).toBe('5');
    expect((await httpGet(server, '/readyz')).status).toBe(503);
  });

  it('stalled database times out with 503', async () => {
    const databaseUrl = await startFakeDatabase(() => undefined);
    const server = await startTestServer({
      DATABASE_URL: databaseUrl,
      VERIFY_TIMEOUT_MS: '300',
      PG_CONNECT_TIMEOUT_MS: '1500',
    });

    const startedAt = performance.now();
    const rejected = expectRejected(await attemptUpgrade(server.url, bearer(await signToken())), 503);
    const elapsedMs = performance.now() - startedAt;
    expect(rejected.headers['retry-after']).toBe('5');
    expect(elapsedMs).toBeGreaterThanOrEqual(250);
    expect(elapsedMs).toBeLessThan(300 + 3_000);

    // The pool's connect attempt fails at 1.5 s, after the upgrade was rejected.
    await waitUntil(() => server.metricsSnapshot().database.totalClients === 0, 10_000, 'the pool to drop its client');
    await waitUntil(() => logLines.some((line) => line.includes('late verification result ignored')), 5_000, 'the late result log');
    expect(server.metricsSnapshot().pendingVerifications).toBe(0);
  });

  it('client reset mid-verification is ignored', async () => {
    const databaseUrl = await startFakeDatabase(() => undefined);
    const server = await startTestServer({ DATABASE_URL: databaseUrl, PG_CONNECT_TIMEOUT_MS: '1000' });
    const token = await signToken();
    const socket = await rawConnect(server.port, rawUpgradeRequest('/ws', {
      Authorization: `Bearer ${token}`,
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    }));
    await waitUntil(() => server.metricsSnapshot().pendingVerifications === 1, 5_000, 'the pending verification');

    socket.resetAndDestroy();
    await waitUntil(() => server.metricsSnapshot().upgrades.abandoned === 1, 5_000, 'the abandoned count');
    await waitUntil(() => server.metricsSnapshot().database.totalClients === 0, 10_000, 'the pool to drop its client');
    expect(server.metricsSnapshot().pendingVerifications).toBe(0);
    expect(server.metricsSnapshot().upgrades.rejected).toEqual({});
  });
});

describe('server-side closes', () => {
  it('token expiry closes with 1008', async () => {
    const server = await startTestServer();
    const open = expectOpen(await attemptUpgrade(server.url, bearer(await signToken({ expInS: 2 }))));

    const closed = await waitForClose(open.ws, 10_000);
    expect(closed).toEqual({ code: 1008, reason: 'token expired' });
    await waitUntil(() => server.metricsSnapshot().openConnections === 0, 5_000, 'the server to drop the connection');
  });

  it('close() rejects pending, closes open', async () => {
    const server = await startTestServer({ SHUTDOWN_GRACE_MS: '3000' });
    const open = expectOpen(await attemptUpgrade(server.url, bearer(await signToken({ sub: 'user-0011' }))));
    const silentToken = await signToken({ sub: 'user-0012' });
    const silent = await rawConnect(server.port, rawUpgradeRequest('/ws', {
      Authorization: `Bearer ${silentToken}`,
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    }));
    await readUntil(silent, '"welcome"', 5_000);

    const lock = await adminPool.connect();
    onTestFinished(() => lock.release());
    await lock.query('BEGIN; LOCK TABLE revoked_tokens IN ACCESS EXCLUSIVE MODE');
    const pending = attemptUpgrade(server.url, bearer(await signToken({ sub: 'user-0013' })));
    await waitUntil(() => server.metricsSnapshot().pendingVerifications === 1, 5_000, 'the blocked verification');

    const closing = server.close();
    const openClosed = waitForClose(open.ws, 5_000);
    const aborted = expectRejected(await pending, 503);
    expect(aborted.headers['retry-after']).toBe('5');
    expect(await openClosed).toEqual({ code: 1001, reason: 'server shutting down' });

    // The silent client never replies to the close frame, so the server is still draining.
    const late = expectRejected(await attemptUpgrade(server.url, bearer(await signToken())), 503);
    expect(late.body).toBe('Service Unavailable');
    expect(await httpGet(server, '/readyz')).toEqual({ status: 503, body: 'Service Unavailable' });

    await lock.query('ROLLBACK');
    await withDeadline(closing, 10_000, 'close() to finish');
    const silentClosed: Promise<unknown> = silent.closed ? Promise.resolve() : once(silent, 'close');
    silent.resume();
    await withDeadline(silentClosed, 5_000, 'the server to drop the silent client');
    expect(logLines.some((line) => line.includes('close handshakes timed out, sockets destroyed'))).toBe(true);
    expect(server.metricsSnapshot().openConnections).toBe(0);
    expect(server.metricsSnapshot().upgrades.rejected).toEqual({ '503': 2 });
  });
});

describe('http endpoints', () => {
  it('healthz, readyz and metrics respond', async () => {
    const server = await startTestServer();

    expect(await httpGet(server, '/healthz')).toEqual({ status: 200, body: 'OK' });
    expect(await httpGet(server, '/readyz')).toEqual({ status: 200, body: 'OK' });
    expect((await httpGet(server, '/nowhere')).status).toBe(404);
    const metrics = JSON.parse((await httpGet(server, '/metrics')).body);
    expect(metrics).toEqual({
      unhandledRejections: 0,
      uncaughtExceptions: 0,
      upgrades: { accepted: 0, rejected: {}, abandoned: 0 },
      pendingVerifications: 0,
      openConnections: 0,
      database: { totalClients: expect.any(Number), idleClients: expect.any(Number), waitingRequests: 0 },
    });
  });
});

describe('logs', () => {
  it('never contain a token', async () => {
    const server = await startTestServer();
    const tokens = await Promise.all([signToken(), signToken({ expInS: -3600 }), signToken({ sub: 'user-unknown' })]);
    await attemptUpgrade(server.url, bearer(tokens[0] ?? ''));
    await attemptUpgrade(`${server.url}?access_token=${tokens[1]}`);
    await attemptUpgrade(server.url, { protocols: ['bearer', tokens[2] ?? ''] });

    expect(logLines.length).toBeGreaterThan(0);
    for (const token of tokens) {
      const signature = token.split('.')[2] ?? token;
      expect(logLines.filter((line) => line.includes(signature))).toEqual([]);
    }
    expect(logLines.some((line) => line.includes('"tokenHash"'))).toBe(true);
  });
});

describe('origin allow-list', () => {
  const ALLOWED = 'http://app.example:3000';

  it('rejects a foreign origin with 403 before the token', async () => {
    const server = await startTestServer({ ALLOWED_ORIGINS: ALLOWED });
    const request = { headers: { Authorization: `Bearer ${await signToken()}`, Origin: 'http://evil.invalid' } };
    const rejected = expectRejected(await attemptUpgrade(server.url, request), 403);

    expect(rejected.body).toBe('Forbidden');
    const missingToken = await attemptUpgrade(server.url, { headers: { Origin: 'http://evil.invalid' } });
    expectRejected(missingToken, 403);
    expect(server.metricsSnapshot().upgrades.rejected).toEqual({ '403': 2 });
  });

  it('accepts a listed origin and a request without one', async () => {
    const server = await startTestServer({ ALLOWED_ORIGINS: ALLOWED });
    const listed = expectOpen(await attemptUpgrade(server.url, { headers: { ...bearer(await signToken()).headers, Origin: ALLOWED } }));
    const withoutOrigin = expectOpen(await attemptUpgrade(server.url, bearer(await signToken())));

    expect(listed.welcome).toEqual({ type: 'welcome', userId: 'user-0001' });
    expect(withoutOrigin.welcome).toEqual({ type: 'welcome', userId: 'user-0001' });
  });

  it('accepts any origin when unset', async () => {
    const server = await startTestServer();
    const request = { headers: { ...bearer(await signToken()).headers, Origin: 'http://evil.invalid' } };

    expectOpen(await attemptUpgrade(server.url, request));
  });
});

describe('RS256 mode', () => {
  let privateKey: CryptoKey;
  let publicPem: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
  });

  function signRs256(extra: Record<string, unknown> = {}): Promise<string> {
    const nowS = Math.floor(Date.now() / 1000);
    return new SignJWT(extra)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setSubject('user-0001')
      .setJti(`rs256-${nowS}-${Math.random()}`)
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime(nowS + 3600)
      .sign(privateKey);
  }

  it('accepts RS256 and rejects HS256 and alg none', async () => {
    const server = await startTestServer({ JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: publicPem });
    const accepted = expectOpen(await attemptUpgrade(server.url, bearer(await signRs256())));
    const unsigned = new UnsecuredJWT({})
      .setSubject('user-0001')
      .setJti('unsigned')
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('1h')
      .encode();

    expect(accepted.welcome).toEqual({ type: 'welcome', userId: 'user-0001' });
    expectRejected(await attemptUpgrade(server.url, bearer(await signToken())), 401);
    expectRejected(await attemptUpgrade(server.url, bearer(unsigned)), 401);
  });

  it('rejects a token over the length limit with 401', async () => {
    const server = await startTestServer({ JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: publicPem });
    const token = await signRs256({ padding: 'x'.repeat(9_000) });

    expect(token.length).toBeGreaterThan(8_192);
    expectRejected(await attemptUpgrade(server.url, bearer(token)), 401);
  });

  it('gets 431 from Node past 16 KiB of headers', async () => {
    const server = await startTestServer({ JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: publicPem });
    const token = await signRs256({ padding: 'x'.repeat(13_000) });

    expect(token.length).toBeGreaterThan(16_384);
    expectRejected(await attemptUpgrade(server.url, bearer(token)), 431);
  });
});
