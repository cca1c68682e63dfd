import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import {
  createTempDir,
  fixtureConfig,
  get,
  isAlive,
  silentLogger,
  startFixture,
  waitUntil,
  writeServer,
} from './fixture-targets.ts';
import { startTarget, stopAllTargets } from './start-target.ts';

const PROBE_URL = pathToFileURL(path.resolve(import.meta.dirname, '../probe/probe.mjs')).href;

const IGNORES_SIGTERM = {
  setup: `import { spawn } from 'node:child_process';
process.on('SIGTERM', () => console.log('SIGTERM ignored'));
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });`,
  routes: `  if (req.url === '/grandchild') return res.end(String(grandchild.pid));`,
};

/** Starts a target expected to fail and returns the error it threw. */
async function startFailure(dir: string, config: Parameters<typeof startTarget>[0]['config']): Promise<HarnessError> {
  const error = await startTarget({
    config,
    env: {},
    logFile: path.join(dir, 'target.log'),
    probeFile: path.join(dir, 'probe.jsonl'),
    logger: silentLogger,
  }).then(
    () => new Error('the target started'),
    (err: unknown) => err,
  );
  if (!(error instanceof HarnessError)) throw error;
  return error;
}

describe('startTarget', () => {
  it('passes port, host and env', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', {
      routes: `  if (req.url === '/env') {
    const { PORT, HOST, FROM_CONFIG, SHARED, WUC_PROBE_FILE } = process.env;
    return res.end(JSON.stringify({ PORT, HOST, FROM_CONFIG, SHARED, WUC_PROBE_FILE, execArgv: process.execArgv }));
  }`,
    });
    const config = fixtureConfig(dir, {
      name: 'env',
      command: ['node', 'server.mjs'],
      env: { FROM_CONFIG: 'config', SHARED: 'config' },
    });

    const target = await startFixture(dir, config, { SHARED: 'harness' });
    const { body } = await get(`${target.baseUrl}/env`);

    expect(target.baseUrl).toBe(`http://127.0.0.1:${target.port}`);
    expect(target.host).toBe('127.0.0.1');
    expect(target.hasProbe).toBe(true);
    expect(JSON.parse(body)).toEqual({
      PORT: String(target.port),
      HOST: '127.0.0.1',
      FROM_CONFIG: 'config',
      SHARED: 'harness',
      WUC_PROBE_FILE: path.join(dir, 'env.probe.jsonl'),
      execArgv: ['--import', PROBE_URL],
    });
  });

  it('stops a cooperative target with its signal', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', {
      setup: `process.on('SIGINT', () => server.close(() => process.exit(0)));`,
    });
    const config = fixtureConfig(dir, { name: 'cooperative', command: ['node', 'server.mjs'], shutdown: { signal: 'SIGINT' } });
    const target = await startFixture(dir, config);

    const exit = await target.stop();

    expect(exit.code).toBe(0);
    expect(exit.signal).toBeNull();
    expect(exit.requested).toBe(true);
    expect(exit.afterSignalMs).toBeGreaterThanOrEqual(0);
    expect(target.exitInfo()).toBe(exit);
    expect(await target.stop()).toBe(exit);
  });

  it('kills a target that ignores SIGTERM', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', IGNORES_SIGTERM);
    const config = fixtureConfig(dir, { name: 'stubborn', command: ['node', 'server.mjs'], shutdown: { graceMs: 500 } });
    const target = await startFixture(dir, config);
    const grandchildPid = Number((await get(`${target.baseUrl}/grandchild`)).body);
    expect(isAlive(grandchildPid)).toBe(true);

    const exit = await target.stop();

    expect(exit.signal).toBe('SIGKILL');
    expect(exit.code).toBeNull();
    expect(exit.requested).toBe(true);
    expect(exit.afterSignalMs).toBeGreaterThanOrEqual(500);
    await waitUntil('the grandchild to die', () => isAlive(grandchildPid), (alive) => !alive);
  });

  it('counts the grace period from the first signal', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', IGNORES_SIGTERM);
    const config = fixtureConfig(dir, { name: 'signalled', command: ['node', 'server.mjs'], shutdown: { graceMs: 1_000 } });
    const target = await startFixture(dir, config);

    target.sendSignal('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const exit = await target.stop();

    expect(exit.signal).toBe('SIGKILL');
    expect(exit.afterSignalMs).toBeGreaterThanOrEqual(1_200);
  });

  it('kills its group after the target exits', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', {
      setup: IGNORES_SIGTERM.setup,
      routes: `${IGNORES_SIGTERM.routes}
  if (req.url === '/exit') { res.end('bye'); setImmediate(() => process.exit(4)); return; }`,
    });
    const config = fixtureConfig(dir, { name: 'leaves-child', command: ['node', 'server.mjs'] });
    const target = await startFixture(dir, config);
    const grandchildPid = Number((await get(`${target.baseUrl}/grandchild`)).body);

    await get(`${target.baseUrl}/exit`);
    const exit = await target.exited;

    expect(exit.code).toBe(4);
    expect(exit.requested).toBe(false);
    await waitUntil('the grandchild to die', () => isAlive(grandchildPid), (alive) => !alive);
  });

  it('kills every target in stopAllTargets', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', IGNORES_SIGTERM);
    const first = await startFixture(dir, fixtureConfig(dir, { name: 'first', command: ['node', 'server.mjs'] }));
    const second = await startFixture(dir, fixtureConfig(dir, { name: 'second', command: ['node', 'server.mjs'] }));

    await stopAllTargets();

    expect(first.exitInfo()?.signal).toBe('SIGKILL');
    expect(second.exitInfo()?.signal).toBe('SIGKILL');
    expect(second.exitInfo()?.requested).toBe(true);
  });

  it('starts a non-Node target without the probe', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', {
      routes: `  if (req.url === '/probe') return res.end(String(process.env.WUC_PROBE_FILE));`,
    });
    const config = fixtureConfig(dir, { name: 'other', command: [process.execPath, 'server.mjs'], runtime: 'other' });

    const target = await startFixture(dir, config);

    expect(target.hasProbe).toBe(false);
    expect((await get(`${target.baseUrl}/probe`)).body).toBe('undefined');
    expect(target.readProbe()).toEqual({ loaded: false, unhandledRejections: [], uncaughtExceptions: [], crash: null, resources: null });
  });

  it('fails a target that is never ready', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', {
      setup: `import { writeFileSync } from 'node:fs';
writeFileSync('pid', String(process.pid));
console.log('warming up forever');`,
      readyStatus: 503,
    });
    const config = fixtureConfig(dir, { name: 'never-ready', command: ['node', 'server.mjs'], readyTimeoutMs: 1_000 });

    const error = await startFailure(dir, config);

    expect(error.code).toBe('WUC_ERR_TARGET_START_FAILED');
    expect(error.message).toMatch(/^Target "never-ready" did not answer 200 on GET http:\/\/127\.0\.0\.1:\d+\/readyz within 1000 ms/);
    expect(error.message).toContain('(last attempt: status 503), so it was killed. It answered, but not with 200.');
    expect(error.message).toContain('Set readyPath (now "/readyz") to a path that answers 200');
    expect(error.message).toContain('or raise readyTimeoutMs (now 1000) if it starts slowly.');
    expect(error.message).toContain('\n  warming up forever');
    const pid = Number(readFileSync(path.join(dir, 'pid'), 'utf8'));
    expect(isAlive(pid)).toBe(false);
  });

  it('fails a target that exits early', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', {
      setup: `console.error('DATABASE_URL is not set');
process.exit(3);`,
    });
    const config = fixtureConfig(dir, { name: 'exits', command: ['node', 'server.mjs'] });

    const error = await startFailure(dir, config);

    expect(error.code).toBe('WUC_ERR_TARGET_START_FAILED');
    expect(error.message).toMatch(/^Target "exits" exited with code 3 before GET http:\/\/127\.0\.0\.1:\d+\/readyz answered 200\./);
    expect(error.message).toContain(`Last 1 lines of ${path.join(dir, 'target.log')}:\n  DATABASE_URL is not set`);
  });

  it('fails a command that does not exist', async () => {
    const dir = await createTempDir();
    const config = fixtureConfig(dir, { name: 'missing', command: ['wuc-no-such-command', 'server.mjs'] });

    const error = await startFailure(dir, config);

    expect(error.code).toBe('WUC_ERR_TARGET_START_FAILED');
    expect(error.message).toBe(
      'Target "missing" could not be started: the command "wuc-no-such-command" was not found (ENOENT). ' +
        `Check that it is installed and on PATH, or give its full path in command; it was started in ${dir}.`,
    );
  });

  it('suggests PORT and HOST when nothing listens', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', {});
    // The server listens on a port of its own instead of the PORT the harness passes.
    const source = readFileSync(path.join(dir, 'server.mjs'), 'utf8').replace('Number(process.env.PORT)', '0');
    writeFileSync(path.join(dir, 'server.mjs'), source);
    const config = fixtureConfig(dir, { name: 'own-port', command: ['node', 'server.mjs'], readyTimeoutMs: 1_000 });

    const error = await startFailure(dir, config);

    expect(error.message).toMatch(/\(last attempt: connect ECONNREFUSED 127\.0\.0\.1:\d+\), so it was killed\./);
    expect(error.message).toContain('Nothing accepted connections there. The harness passed PORT=');
    expect(error.message).toContain('and HOST=127.0.0.1; a target that listens on another port or address is never ready');
    expect(error.message).toContain('\n  listening');
  });
});
