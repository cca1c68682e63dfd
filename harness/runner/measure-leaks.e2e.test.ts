import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startPostgres } from '../environment/postgres.ts';
import { createRecordingLogger, createWorkDir, runCleanups } from '../environment/test-helpers.ts';
import type { StartedPostgres } from '../model/environment.ts';
import { countBackends, HARNESS_APPLICATION_NAME } from './count-backends.ts';
import { checkLeaks, takeLeakBaseline, type LeakSources } from './measure-leaks.ts';

const cleanups: (() => Promise<void>)[] = [];
let postgres: StartedPostgres;
let sources: LeakSources;

beforeAll(async () => {
  const { workDir, remove } = await createWorkDir();
  cleanups.push(remove);
  const env = { WUC_POSTGRES: 'embedded' };
  postgres = await startPostgres({ logger: createRecordingLogger().logger, workDir, env, random: Math.random });
  cleanups.push(() => postgres.stop());
  sources = { adminUrl: postgres.adminUrl, database: postgres.database, probeFile: null };
}, 120_000);

afterAll(() => runCleanups(cleanups));

/** Opens a session the way a target does: same credentials, no harness application name. */
async function openTargetSession(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: postgres.adminUrl });
  await client.connect();
  onTestFinished(() => client.end().catch(() => undefined));
  return client;
}

describe('checkLeaks on Postgres', () => {
  it('counts target sessions only', async () => {
    const harness = new pg.Client({ connectionString: postgres.adminUrl, application_name: HARNESS_APPLICATION_NAME });
    await harness.connect();
    onTestFinished(() => harness.end());
    await openTargetSession();

    expect(await countBackends(postgres.adminUrl, postgres.database)).toEqual({ ok: true, backends: 1 });
  });

  it('passes sessions back at baseline', async () => {
    const baseline = await takeLeakBaseline(sources);
    const session = await openTargetSession();
    await session.end();

    expect(await checkLeaks(sources, baseline, 2_000)).toEqual({ findings: [], notes: [] });
  });

  it('flags a session kept open', async () => {
    const baseline = await takeLeakBaseline(sources);
    const session = await openTargetSession();
    await session.query('SELECT 42 AS kept');

    const { findings, notes } = await checkLeaks(sources, baseline, 1_000);

    expect(notes).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.code).toBe('leak');
    expect(findings[0]?.message).toMatch(
      new RegExp(`^Postgres sessions of the target on database ${postgres.database}: 1 at the end, 0 at the baseline, \\d+ ms after the last attempt ended$`),
    );
    expect(findings[0]?.evidence?.[1]).toMatch(/^pid \d+: idle for \d+ ms, last query: SELECT 42 AS kept$/);
  });

  it('notes a count that failed', async () => {
    const broken = { ...sources, adminUrl: 'postgres://nobody:wrong@127.0.0.1:1/none' };
    const baseline = await takeLeakBaseline(broken);

    const { findings, notes } = await checkLeaks(broken, baseline, 100);

    expect(findings).toEqual([]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^Postgres sessions were not compared: the baseline count failed \(.+\)\.$/);
  });
});
