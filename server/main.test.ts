import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { applySchema } from './database.ts';
import { attemptUpgrade, cleanup, signToken, TEST_SECRET, waitForClose, waitUntil, withDeadline } from './test-client.ts';
import { startTestPostgres, type TestPostgres } from './test-postgres.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

let postgres: TestPostgres;
let adminPool: pg.Pool;

beforeAll(async () => {
  postgres = await startTestPostgres();
  adminPool = new pg.Pool({ connectionString: postgres.url, max: 2 });
  await applySchema(adminPool);
});

afterAll(async () => {
  await adminPool?.end();
  await postgres?.stop();
});

afterEach(() => cleanup());

interface ServerProcess {
  child: ChildProcess;
  stdoutLines: string[];
  stderr(): string;
  exited: Promise<number | null>;
}

/** Spawns `node --import tsx server/main.ts` with only `env` set; killed after the test. */
function spawnServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const stdoutLines: string[] = [];
  let pendingLine = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pendingLine + chunk).split('\n');
    pendingLine = lines.pop() ?? '';
    stdoutLines.push(...lines);
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);

  return { child, stdoutLines, stderr: () => stderr, exited };
}

function serverEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: postgres.url, JWT_SECRET: TEST_SECRET, PORT: '0', ...overrides };
}

/** Waits for the "server listening" log line and returns its port. */
async function listeningPort(server: ServerProcess): Promise<number> {
  const find = () => server.stdoutLines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'server listening');
  await waitUntil(() => find() !== undefined || server.child.exitCode !== null, 20_000, 'the "server listening" log line');
  const entry = find();
  if (entry === undefined) throw new Error(`server exited early; stderr: ${server.stderr()}`);
  return entry.port;
}

function bearer(token: string) {
  return { headers: { Authorization: `Bearer ${token}` } };
}

/** Holds an exclusive lock on revoked_tokens until the test ends, blocking every lookup. */
async function lockRevokedTokens(): Promise<pg.PoolClient> {
  const lock = await adminPool.connect();
  onTestFinished(async () => {
    await lock.query('ROLLBACK');
    lock.release();
  });
  await lock.query('BEGIN; LOCK TABLE revoked_tokens IN ACCESS EXCLUSIVE MODE');
  return lock;
}

/**
 * Waits until a session waits on a lock, which proves the lookup was sent. A verification
 * counts as pending before its pool client has connected, and an aborted one sends no query.
 */
async function waitForBlockedLookup(): Promise<void> {
  const blocked = async () => {
    const { rows } = await adminPool.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
    );
    return (rows[0]?.count ?? 0) > 0;
  };
  await waitUntil(blocked, 10_000, 'the lookup to wait for the table lock');
}

async function pendingVerifications(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  const metrics = (await response.json()) as { pendingVerifications: number };
  return metrics.pendingVerifications;
}

function loggedMessages(server: ServerProcess): string[] {
  return server.stdoutLines.map((line) => JSON.parse(line).msg);
}

describe('server/main.ts', () => {
  it('SIGTERM closes with 1001 and exits 0', async () => {
    const server = spawnServer(serverEnv());
    const port = await listeningPort(server);
    const url = `ws://127.0.0.1:${port}/ws`;
    const result = await attemptUpgrade(url, bearer(await signToken({ sub: 'user-0500' })));
    if (result.kind !== 'open') throw new Error(`expected an open socket, got HTTP ${result.status}`);
    expect(result.welcome).toEqual({ type: 'welcome', userId: 'user-0500' });

    // A verification blocked on a table lock keeps the pool busy, so shutdown lasts until the
    // lock is released and a second signal arrives while it runs.
    const lock = await lockRevokedTokens();
    const pending = attemptUpgrade(url, bearer(await signToken({ sub: 'user-0501' })));
    await waitUntil(async () => (await pendingVerifications(port)) === 1, 10_000, 'the blocked verification');

    const closed = waitForClose(result.ws, 10_000);
    server.child.kill('SIGTERM');
    expect(await closed).toEqual({ code: 1001, reason: 'server shutting down' });
    const rejected = await pending;
    expect(rejected).toMatchObject({ kind: 'rejected', status: 503 });

    server.child.kill('SIGINT');
    await waitUntil(() => loggedMessages(server).includes('shutdown already in progress, signal ignored'), 10_000, 'the second signal to be logged');
    expect(server.child.exitCode).toBeNull();
    await lock.query('ROLLBACK');

    expect(await withDeadline(server.exited, 15_000, 'the server process to exit')).toBe(0);
    expect(loggedMessages(server)).toContain('shutdown finished');
    expect(loggedMessages(server).filter((message) => message === 'shutdown started')).toHaveLength(1);
    expect(server.stderr()).toBe('');
  });

  it('abandons a blocked query within the grace period', async () => {
    const server = spawnServer(serverEnv({ SHUTDOWN_GRACE_MS: '1500' }));
    const port = await listeningPort(server);
    await lockRevokedTokens();
    const pending = attemptUpgrade(`ws://127.0.0.1:${port}/ws`, bearer(await signToken({ sub: 'user-0502' })));
    await waitUntil(async () => (await pendingVerifications(port)) === 1, 10_000, 'the blocked verification');
    await waitForBlockedLookup();

    server.child.kill('SIGTERM');
    const rejected = await pending;
    expect(rejected).toMatchObject({ kind: 'rejected', status: 503 });
    expect(await withDeadline(server.exited, 15_000, 'the server process to exit')).toBe(0);
    expect(loggedMessages(server)).toContain('database pool did not end in time, in-flight queries abandoned');
    expect(loggedMessages(server)).not.toContain('shutdown grace period passed, exiting');
  });

  it.each([
    [{ DATABASE_URL: '' }, 'DATABASE_URL is missing'],
    [{ PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535'],
    [{ JWT_ALGORITHMS: 'RS256' }, 'JWT_PUBLIC_KEY is missing, but JWT_ALGORITHMS lists RSA algorithms'],
  ])('bad config %o exits 2', async (overrides, message) => {
    const server = spawnServer(serverEnv(overrides));

    expect(await withDeadline(server.exited, 15_000, 'the server process to exit')).toBe(2);
    expect(server.stderr()).toContain(message);
    expect(server.stdoutLines).toEqual([]);
  });
});
