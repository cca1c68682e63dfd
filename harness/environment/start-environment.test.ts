import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';

import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';

import { EnvironmentError, HarnessError } from '../errors.ts';
import { applySchema, startEnvironment } from './start-environment.ts';
import { createRecordingLogger, createWorkDir, runCleanups } from './test-helpers.ts';

const LATENCY_MS = 300;

const cleanups: (() => Promise<void>)[] = [];
afterEach(() => runCleanups(cleanups));

async function newWorkDir(): Promise<string> {
  const { workDir, remove } = await createWorkDir();
  cleanups.push(remove);
  return workDir;
}

async function start(env: NodeJS.ProcessEnv = {}) {
  const { logger, records } = createRecordingLogger();
  const workDir = await newWorkDir();
  const environment = await startEnvironment({ logger, env, workDir, random: () => 0.5 });
  cleanups.push(() => environment.stop());
  return { environment, records, workDir };
}

/** Connects through `url`, runs `sql` and returns the rows and the query's duration. */
async function query(url: string, sql: string) {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 3_000,
    query_timeout: 5_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const startedAt = performance.now();
    const result = await client.query(sql);
    return { rows: result.rows as unknown[], durationMs: performance.now() - startedAt };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function postgresProcessesIn(workDir: string): string[] {
  const lines = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes(workDir));
}

describe('startEnvironment', () => {
  it('routes the database link through the proxy', async () => {
    const { environment, records, workDir } = await start();
    const { targetDatabaseUrl, databaseProxy, postgres } = environment;

    expect(postgres.kind).toBe('embedded');
    expect(environment.toxiproxy.kind).toBe('builtin');
    expect(new URL(targetDatabaseUrl).port).toBe(String(databaseProxy.listenPort));
    expect(new URL(targetDatabaseUrl).password).toBe(encodeURIComponent(postgres.password));
    expect(databaseProxy.listenPort).not.toBe(postgres.port);
    expect((await query(targetDatabaseUrl, 'SELECT 1 AS answer')).rows).toEqual([{ answer: 1 }]);
    expect((await databaseProxy.stats())?.connections).toBe(1);

    const decisionMessages = ['backend not used', 'backend chosen'];
    const decisions = records.filter((record) => decisionMessages.includes(String(record.msg)));
    expect(decisions.map((record) => [record.dependency, record.backend])).toEqual([
      ['postgres', 'url'],
      ['postgres', 'docker'],
      ['postgres', 'embedded'],
      ['toxiproxy', 'url'],
      ['toxiproxy', 'docker'],
      ['toxiproxy', 'builtin'],
    ]);
    expect(decisions.every((record) => record.level === 30 && typeof record.reason === 'string')).toBe(true);

    await environment.stop();
    await environment.stop();
    expect(await readdir(workDir)).toEqual([]);
    expect(postgresProcessesIn(workDir)).toEqual([]);
  });

  it('delays queries with a latency toxic', async () => {
    const { environment } = await start({ WUC_POSTGRES: 'embedded', WUC_TOXIPROXY: 'builtin' });
    const proxy = environment.databaseProxy;

    await proxy.addToxic({ name: 'slow', type: 'latency', attributes: { latency: LATENCY_MS, jitter: 0 } });
    const slow = await query(environment.targetDatabaseUrl, 'SELECT 1');
    await proxy.removeToxic('slow');
    const direct = await query(environment.postgres.adminUrl, 'SELECT 1');

    expect(slow.durationMs).toBeGreaterThanOrEqual(LATENCY_MS);
    expect(direct.durationMs).toBeLessThan(slow.durationMs);
  });

  it('fails while the proxy is disabled and recovers on reset', async () => {
    const { environment } = await start({ WUC_POSTGRES: 'embedded', WUC_TOXIPROXY: 'builtin' });
    const proxy = environment.databaseProxy;

    await proxy.setEnabled(false);
    const disabled = query(environment.targetDatabaseUrl, 'SELECT 1');
    await expect(disabled).rejects.toThrow(/ECONNREFUSED/);
    await proxy.addToxic({ name: 'cut', type: 'timeout', attributes: { timeout: 0 } });
    await proxy.reset();

    expect((await query(environment.targetDatabaseUrl, 'SELECT 2 AS answer')).rows).toEqual([{ answer: 2 }]);
  });

  it('stops Postgres when Toxiproxy fails', async () => {
    const { logger } = createRecordingLogger();
    const workDir = await newWorkDir();
    const env = { WUC_POSTGRES: 'embedded', WUC_TOXIPROXY: 'docker' };

    const error = await startEnvironment({ logger, env, workDir, random: Math.random }).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).code).toBe('WUC_ERR_ENV_TOXIPROXY_UNAVAILABLE');
    expect(await readdir(workDir)).toEqual([]);
    expect(postgresProcessesIn(workDir)).toEqual([]);
  });
});

describe('applySchema', () => {
  it('creates tables directly on Postgres', async () => {
    const { environment } = await start({ WUC_POSTGRES: 'embedded', WUC_TOXIPROXY: 'builtin' });
    await environment.databaseProxy.setEnabled(false);

    const sql = "CREATE TABLE users (id text);\nINSERT INTO users VALUES ('a');";
    await applySchema(environment.postgres.adminUrl, sql);

    expect((await query(environment.postgres.adminUrl, 'SELECT id FROM users')).rows).toEqual([{ id: 'a' }]);
  });

  it('names the line and column of an error', async () => {
    const { environment } = await start({ WUC_POSTGRES: 'embedded', WUC_TOXIPROXY: 'builtin' });
    const sql = 'CREATE TABLE users (id text);\n  SELEC 1;';

    const error = await applySchema(environment.postgres.adminUrl, sql).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('WUC_ERR_ENV_SCHEMA_FAILED');
    expect((error as HarnessError).message).toBe(
      'The schema failed at line 2, column 3 (SELEC 1;): syntax error at or near "SELEC". Fix the schema SQL.',
    );
    expect((error as HarnessError).cause).toBeInstanceOf(pg.DatabaseError);
    const tables = await query(environment.postgres.adminUrl, "SELECT to_regclass('users') AS users");
    expect(tables.rows).toEqual([{ users: null }]);
  });

  it('reports an unreachable server', async () => {
    const url = 'postgres://harness:secret@127.0.0.1:1/chaos';

    const error = await applySchema(url, 'SELECT 1').then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('WUC_ERR_ENV_SCHEMA_FAILED');
    expect((error as HarnessError).message).toContain(
      'Could not connect to postgres://harness:***@127.0.0.1:1/chaos',
    );
    expect((error as HarnessError).message).not.toContain('secret');
  });
});
