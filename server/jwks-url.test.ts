import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from './config.ts';
import { applySchema } from './database.ts';
import { createLogger } from './logger.ts';
import { startServer, type RunningServer } from './server.ts';
import { attemptUpgrade, cleanup, TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET, type UpgradeResult } from './test-client.ts';
import { startTestPostgres, type TestPostgres } from './test-postgres.ts';

let postgres: TestPostgres;
let signingKey: CryptoKey;
let jwks: { keys: unknown[] };
const unhandledRejections: unknown[] = [];
const recordRejection = (reason: unknown) => unhandledRejections.push(reason);

beforeAll(async () => {
  postgres = await startTestPostgres();
  const adminPool = new pg.Pool({ connectionString: postgres.url, max: 1 });
  await applySchema(adminPool);
  await adminPool.end();
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), alg: 'RS256', use: 'sig' }] };
  process.on('unhandledRejection', recordRejection);
});

afterAll(async () => {
  process.off('unhandledRejection', recordRejection);
  await postgres?.stop();
});

afterEach(() => {
  cleanup();
  expect(unhandledRejections).toEqual([]);
});

/** State of the test key set server: its URL, requests so far, and how it responds. */
interface KeySetServer {
  url: string;
  requests: number;
  delayMs: number;
  status: number;
}

async function startKeySetServer(): Promise<KeySetServer> {
  const state: KeySetServer = { url: '', requests: 0, delayMs: 0, status: 200 };
  const server: Server = createServer((req, res) => {
    state.requests += 1;
    void sleep(state.delayMs).then(() => {
      res.writeHead(state.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  return state;
}

async function startRs256Server(jwksUrl: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({
    DATABASE_URL: postgres.url,
    JWT_SECRET: TEST_SECRET,
    JWT_ALGORITHMS: 'RS256',
    JWKS_URL: jwksUrl,
    PORT: '0',
    RATE_LIMIT_POINTS: '1000',
    ...env,
  });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const server = await startServer(config, { logger: createLogger('debug', sink) });
  onTestFinished(() => server.close());
  return server;
}

let nextJti = 1;

async function signRs256(key: CryptoKey = signingKey): Promise<string> {
  const nowS = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setSubject('user-0201')
    .setJti(`jwks-jti-${nextJti++}`)
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + 600)
    .sign(key);
}

async function upgrade(server: RunningServer, key?: CryptoKey): Promise<UpgradeResult> {
  const result = await attemptUpgrade(server.url, { headers: { Authorization: `Bearer ${await signRs256(key)}` } });
  if (result.kind === 'open') result.ws.terminate();
  return result;
}

function statusOf(result: UpgradeResult): number {
  return result.kind === 'open' ? 101 : result.status;
}

/** Reads the `token` duration from the response's Server-Timing header, in ms. */
function tokenPhaseMs(result: UpgradeResult): number {
  const headers = result.kind === 'open' ? result.responseHeaders : result.headers;
  const match = /token;dur=([\d.]+)/.exec(String(headers['server-timing']));
  return match === null ? Number.NaN : Number(match[1]);
}

describe('JWKS_URL key source', () => {
  it('accepts tokens and caches the key set', async () => {
    const keySet = await startKeySetServer();
    const server = await startRs256Server(keySet.url);

    expect(statusOf(await upgrade(server))).toBe(101);
    expect(statusOf(await upgrade(server))).toBe(101);
    expect(keySet.requests).toBe(1);
  });

  it('fetches per token with max age 0', async () => {
    const keySet = await startKeySetServer();
    keySet.delayMs = 300;
    const server = await startRs256Server(keySet.url, { JWKS_CACHE_MAX_AGE_MS: '0' });

    const results = [await upgrade(server), await upgrade(server), await upgrade(server)];
    expect(results.map(statusOf)).toEqual([101, 101, 101]);
    expect(keySet.requests).toBe(3);
    for (const result of results) expect(tokenPhaseMs(result)).toBeGreaterThanOrEqual(250);
  });

  it('rejects with 401 a token of another key', async () => {
    const keySet = await startKeySetServer();
    const server = await startRs256Server(keySet.url);
    const other = await generateKeyPair('RS256');

    expect(statusOf(await upgrade(server, other.privateKey))).toBe(401);
  });

  it('rejects with 503 on a key set error', async () => {
    const keySet = await startKeySetServer();
    keySet.status = 500;
    const server = await startRs256Server(keySet.url);

    const result = await upgrade(server);
    expect(statusOf(result)).toBe(503);
    if (result.kind === 'rejected') expect(result.headers['retry-after']).toBe('5');
    expect(server.metricsSnapshot().upgrades.rejected).toEqual({ '503': 1 });
  });

  it('rejects with 503 on a key set timeout', async () => {
    const keySet = await startKeySetServer();
    keySet.delayMs = 2_000;
    const server = await startRs256Server(keySet.url, { JWKS_TIMEOUT_MS: '200' });

    expect(statusOf(await upgrade(server))).toBe(503);
  });
});
