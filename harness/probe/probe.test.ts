import { describe, expect, it } from 'vitest';
import type { TargetConfig } from '../model/target-config.ts';
import type { RunningTarget } from '../target/start-target.ts';
import {
  createTempDir,
  fixtureConfig,
  get,
  readLog,
  startFixture,
  waitUntil,
  writeServer,
} from '../target/fixture-targets.ts';

const CRASH_ON_REJECT = {
  routes: `  if (req.url === '/reject') {
    res.end('rejecting');
    Promise.reject(new Error('nobody handles this'));
    return;
  }`,
};

const CRASH_ON_THROW = {
  routes: `  if (req.url === '/throw') {
    res.end('throwing');
    setImmediate(() => { throw new TypeError('thrown in a callback'); });
    return;
  }`,
};

/** Starts the target, sends `route`, and waits for the crash. */
async function crash(dir: string, config: TargetConfig, route: string): Promise<RunningTarget> {
  const target = await startFixture(dir, config);
  await get(`${target.baseUrl}${route}`);
  await target.exited;
  return target;
}

describe('probe', () => {
  it('counts a handled rejection and stays silent', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', {
      setup: `let handled = 0;
process.on('unhandledRejection', () => { handled += 1; });`,
      routes: `  if (req.url === '/reject') {
    Promise.reject(new Error('handled by the target'));
    return res.end('rejected');
  }
  if (req.url === '/handled') return res.end(String(handled));`,
    });
    const config = fixtureConfig(dir, { name: 'handled', command: ['node', 'server.mjs'] });
    const target = await startFixture(dir, config);

    await get(`${target.baseUrl}/reject`);
    const report = await waitUntil('one rejection in the probe file', () => target.readProbe(), (r) => r.unhandledRejections.length > 0);

    expect(report.loaded).toBe(true);
    expect(report.unhandledRejections).toHaveLength(1);
    expect(report.unhandledRejections[0]?.message).toBe('handled by the target');
    expect(report.unhandledRejections[0]?.name).toBe('Error');
    expect(report.unhandledRejections[0]?.stack).toContain('server.mjs');
    expect(report.unhandledRejections[0]?.pid).toBe(target.pid);
    expect(report.uncaughtExceptions).toEqual([]);
    expect(report.crash).toBeNull();
    expect(await get(`${target.baseUrl}/handled`)).toEqual({ status: 200, body: '1' });
    expect(target.exitInfo()).toBeNull();
    expect(readLog(dir, config)).toBe('listening\n');
  });

  it('keeps the crash of an unhandled rejection', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', CRASH_ON_REJECT);
    const plain = fixtureConfig(dir, { name: 'plain', command: ['node', 'server.mjs'], runtime: 'other' });
    const probed = fixtureConfig(dir, { name: 'probed', command: ['node', 'server.mjs'] });

    const withoutProbe = await crash(dir, plain, '/reject');
    const withProbe = await crash(dir, probed, '/reject');

    expect(withoutProbe.exitInfo()?.code).toBe(1);
    expect(withProbe.exitInfo()?.code).toBe(1);
    expect(withProbe.exitInfo()?.signal).toBeNull();
    expect(withProbe.exitInfo()?.requested).toBe(false);
    expect(withProbe.exitInfo()?.afterSignalMs).toBeNull();
    expect(readLog(dir, probed)).toBe(readLog(dir, plain));

    const report = withProbe.readProbe();
    expect(report.unhandledRejections).toHaveLength(1);
    expect(report.unhandledRejections[0]?.message).toBe('nobody handles this');
    expect(report.unhandledRejections[0]?.stack).toContain('server.mjs');
    expect(report.uncaughtExceptions).toEqual([]);
    expect(report.crash?.kind).toBe('uncaughtException');
    expect(report.crash?.origin).toBe('unhandledRejection');
    expect(report.crash?.message).toBe('nobody handles this');
    expect(report.resources?.activeHandles).toBeGreaterThanOrEqual(0);
    expect(withoutProbe.hasProbe).toBe(false);
    expect(withoutProbe.readProbe().loaded).toBe(false);
  });

  it('keeps the crash of an uncaught exception', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', CRASH_ON_THROW);
    const plain = fixtureConfig(dir, { name: 'plain', command: ['node', 'server.mjs'], runtime: 'other' });
    const probed = fixtureConfig(dir, { name: 'probed', command: ['node', 'server.mjs'] });

    const withoutProbe = await crash(dir, plain, '/throw');
    const withProbe = await crash(dir, probed, '/throw');

    expect(withoutProbe.exitInfo()?.code).toBe(1);
    expect(withProbe.exitInfo()?.code).toBe(1);
    expect(withProbe.exitInfo()?.requested).toBe(false);
    expect(readLog(dir, probed)).toBe(readLog(dir, plain));

    const report = withProbe.readProbe();
    expect(report.uncaughtExceptions).toHaveLength(1);
    expect(report.uncaughtExceptions[0]?.name).toBe('TypeError');
    expect(report.uncaughtExceptions[0]?.message).toBe('thrown in a callback');
    expect(report.uncaughtExceptions[0]?.origin).toBe('uncaughtException');
    expect(report.unhandledRejections).toEqual([]);
    expect(report.crash?.origin).toBe('uncaughtException');
  });

  it('counts a caught exception without a crash', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', {
      setup: `process.on('uncaughtException', () => {});`,
      routes: CRASH_ON_THROW.routes,
    });
    const config = fixtureConfig(dir, { name: 'caught', command: ['node', 'server.mjs'] });
    const target = await startFixture(dir, config);

    await get(`${target.baseUrl}/throw`);
    const report = await waitUntil('one exception in the probe file', () => target.readProbe(), (r) => r.uncaughtExceptions.length > 0);

    expect(report.uncaughtExceptions).toHaveLength(1);
    expect(report.crash).toBeNull();
    expect((await get(`${target.baseUrl}/readyz`)).status).toBe(200);
    expect(target.exitInfo()).toBeNull();
  });

  it('records a non-error rejection reason', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', {
      routes: `  if (req.url === '/reject') {
    res.end('rejecting');
    Promise.reject(42);
    return;
  }`,
    });
    const config = fixtureConfig(dir, { name: 'number', command: ['node', 'server.mjs'] });

    const target = await crash(dir, config, '/reject');

    const report = target.readProbe();
    expect(report.unhandledRejections).toHaveLength(1);
    expect(report.unhandledRejections[0]?.name).toBe('number');
    expect(report.unhandledRejections[0]?.message).toBe('42');
    expect(report.unhandledRejections[0]?.stack).toBeNull();
    expect(report.crash?.name).toBe('UnhandledPromiseRejection');
    expect(target.exitInfo()?.code).toBe(1);
  });

  it('samples resources on an interval', async () => {
    const dir = await createTempDir();
    await writeServer(dir, 'server', {});
    const config = fixtureConfig(dir, { name: 'sampled', command: ['node', 'server.mjs'] });
    const target = await startFixture(dir, config);

    const report = await waitUntil('a resource sample', () => target.readProbe(), (r) => r.resources !== null);

    // The listening server is one active handle. The probe's own timer is unref'd, so it is not listed.
    expect(report.resources?.activeHandles).toBeGreaterThanOrEqual(1);
    expect(report.resources?.rssBytes).toBeGreaterThan(0);
    expect(report.resources?.heapUsedBytes).toBeGreaterThan(0);
  });
});
