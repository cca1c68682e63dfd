import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';

import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';

import { EnvironmentError, HarnessError } from '../errors.ts';
import { startPostgres } from './postgres.ts';
import { createRecordingLogger, createWorkDir, runCleanups } from './test-helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(() => runCleanups(cleanups));

async function newWorkDir(): Promise<string> {
  const { workDir, remove } = await createWorkDir();
  cleanups.push(remove);
  return workDir;
}

function processArgs(): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n');
}

function listenerCounts() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'exit', 'beforeExit', 'message'] as const;
  return Object.fromEntries(events.map((event) => [event, process.listenerCount(event)]));
}

async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}

/** Polls until process `pid` is gone, for at most 10 s. */
async function waitForExit(pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process ${pid} did not exit within 10000 ms`);
}

async function expectEnvironmentError(promise: Promise<unknown>): Promise<EnvironmentError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(EnvironmentError);
  return error as EnvironmentError;
}

describe('startPostgres', () => {
  it('starts embedded Postgres and cleans up', async () => {
    const listenersBefore = listenerCounts();
    const workDir = await newWorkDir();
    const { logger, records } = createRecordingLogger();

    const env = { WUC_POSTGRES: 'embedded' };
    const postgres = await startPostgres({ logger, workDir, env, random: Math.random });
    cleanups.push(() => postgres.stop());

    expect(postgres.kind).toBe('embedded');
    expect(postgres.version).toMatch(/^18\./);
    expect(postgres.host).toBe('127.0.0.1');
    const client = new pg.Client({ connectionString: postgres.adminUrl });
    await client.connect();
    const result = await client.query<{ answer: number }>('SELECT 1 AS answer');
    await client.end();
    expect(result.rows).toEqual([{ answer: 1 }]);

    const dataDirs = await readdir(workDir);
    expect(dataDirs).toHaveLength(1);
    const dataDir = path.join(workDir, dataDirs[0] ?? '');
    expect(processArgs().some((args) => args.includes(dataDir))).toBe(true);
    expect(listenerCounts().SIGINT).toBe(listenersBefore.SIGINT);
    expect(listenerCounts().SIGTERM).toBe(listenersBefore.SIGTERM);
    expect(listenerCounts().beforeExit).toBe(listenersBefore.beforeExit);
    const chosen = records.find((record) => record.msg === 'backend chosen');
    expect(chosen).toMatchObject({ dependency: 'postgres', backend: 'embedded', level: 30 });
    expect(records.some((record) => record.msg === 'postgres output' && record.level === 20)).toBe(true);

    await postgres.stop();
    await postgres.stop();
    expect(await readdir(workDir)).toEqual([]);
    expect(processArgs().some((args) => args.includes(dataDir))).toBe(false);
    expect(listenerCounts()).toEqual(listenersBefore);
  });

  it('stops after the server exited on its own', async () => {
    const workDir = await newWorkDir();
    const { logger } = createRecordingLogger();
    const env = { WUC_POSTGRES: 'embedded' };
    const postgres = await startPostgres({ logger, workDir, env, random: Math.random });
    cleanups.push(() => postgres.stop());
    const dataDir = path.join(workDir, (await readdir(workDir))[0] ?? '');
    const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);

    // A terminal's Ctrl-C reaches the whole process group, Postgres included.
    process.kill(pid, 'SIGINT');
    await waitForExit(pid);
    const startedAt = performance.now();
    await postgres.stop();

    expect(performance.now() - startedAt).toBeLessThan(10_000);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('names the docker backend without an engine', async () => {
    const { logger } = createRecordingLogger();
    const workDir = await newWorkDir();

    const error = await expectEnvironmentError(
      startPostgres({ logger, workDir, env: { WUC_POSTGRES: 'docker' }, random: Math.random }),
    );

    expect(error.code).toBe('WUC_ERR_ENV_POSTGRES_UNAVAILABLE');
    expect(error.exitCode).toBe(3);
    expect(error.attempts).toHaveLength(1);
    expect(error.attempts[0]?.backend).toBe('docker');
    expect(error.message).toContain('WUC_POSTGRES=docker');
    expect(error.message).toContain('- docker: no container runtime responded');
    expect(error.message).toContain('Could not find a working container runtime strategy');
    expect(await readdir(workDir)).toEqual([]);
  });

  it('gives advice only for the forced backend', async () => {
    const { logger } = createRecordingLogger();

    const error = await expectEnvironmentError(
      startPostgres({ logger, workDir: await newWorkDir(), env: { WUC_POSTGRES: 'docker' }, random: Math.random }),
    );

    expect(error.message).toContain('Start a Docker engine. Or unset WUC_POSTGRES to let the harness choose.');
    expect(error.message).not.toContain('DATABASE_URL');
    expect(error.message).not.toContain('embedded');
  });

  it.each([
    ['notaurl', "'notaurl' is not a valid URL"],
    ['mysql://db.example/app', 'mysql://db.example/app does not start with postgres://'],
    ['postgres://harness:secret-password@127.0.0.1:port/chaos', "'postgres://***@127.0.0.1:port/chaos' is not a valid URL"],
  ])('rejects DATABASE_URL=%s as a usage error', async (url, shown) => {
    const { logger } = createRecordingLogger();
    const workDir = await newWorkDir();

    const error = await startPostgres({ logger, workDir, env: { DATABASE_URL: url }, random: Math.random }).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect(error).toBeInstanceOf(HarnessError);
    expect(error).not.toBeInstanceOf(EnvironmentError);
    expect((error as HarnessError).code).toBe('WUC_ERR_USAGE_INVALID_ENV');
    expect((error as HarnessError).exitCode).toBe(2);
    expect((error as Error).message).toContain(`DATABASE_URL is invalid: ${shown}`);
    expect((error as Error).message.match(/postgres:\/\/user:password@host:port\/database/g)).toHaveLength(1);
    expect((error as Error).message).toContain('Or unset it to let the harness start Postgres.');
    expect((error as Error).message).not.toContain('secret-password');
    expect(await readdir(workDir)).toEqual([]);
  });

  it('reports an unreachable DATABASE_URL without its password', async () => {
    const { logger } = createRecordingLogger();
    const port = await closedLoopbackPort();
    const url = `postgres://harness:secret-password@127.0.0.1:${port}/chaos`;

    const error = await expectEnvironmentError(
      startPostgres({ logger, workDir: await newWorkDir(), env: { DATABASE_URL: url }, random: Math.random }),
    );

    expect(error.code).toBe('WUC_ERR_ENV_POSTGRES_UNAVAILABLE');
    expect(error.attempts.map((attempt) => attempt.backend)).toEqual(['url (DATABASE_URL)']);
    expect(error.message).toContain(`DATABASE_URL postgres://harness:***@127.0.0.1:${port}/chaos`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain('secret-password');
    expect(error.message).toContain('Set DATABASE_URL to a running Postgres. Backends tried:');
    expect(error.message).not.toContain('Docker');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('rejects an unknown WUC_POSTGRES value', async () => {
    const { logger } = createRecordingLogger();
    const promise = startPostgres({
      logger,
      workDir: await newWorkDir(),
      env: { WUC_POSTGRES: 'sqlite' },
      random: Math.random,
    });

    await expect(promise).rejects.toBeInstanceOf(HarnessError);
    await expect(promise).rejects.toMatchObject({
      code: 'WUC_ERR_USAGE_INVALID_OPTION',
      message: expect.stringContaining("WUC_POSTGRES is 'sqlite'"),
    });
  });

  it('explains a data folder the postgres user cannot enter', async () => {
    if (process.getuid?.() !== 0) return;
    const { logger } = createRecordingLogger();
    const parent = path.join(await newWorkDir(), 'closed');
    await mkdir(parent);
    await chmod(parent, 0o700);

    const error = await expectEnvironmentError(
      startPostgres({
        logger,
        workDir: path.join(parent, 'work'),
        env: { WUC_POSTGRES: 'embedded' },
        random: Math.random,
      }),
    );

    expect(error.attempts[0]?.backend).toBe('embedded');
    expect(error.attempts[0]?.reason).toContain(`the postgres user cannot enter ${parent}`);
    expect(error.attempts[0]?.reason).toContain(`chmod o+x ${parent}`);
  });
});
