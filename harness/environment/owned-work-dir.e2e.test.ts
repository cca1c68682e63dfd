import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import pino from 'pino';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';

import { createOwnedWorkDir, isProcessAlive, OWNER_FILE, removeStaleWorkDirs } from './owned-work-dir.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'harness/cli/bin.ts');
const silentLogger = pino({ level: 'silent' });

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) {
    // Stops what a failed test left running before its folder goes.
    await removeStaleWorkDirs(folder, silentLogger);
    await rm(folder, { recursive: true, force: true });
  }
});

/** Names of the harness's scratch folders in `parent`; tsx keeps its cache there too. */
async function listWorkDirs(parent: string): Promise<string[]> {
  return (await readdir(parent)).filter((name) => name.startsWith('wuc-'));
}

/** Creates a temp parent that the `postgres` user can enter, as embedded Postgres needs. */
async function createTempParent(): Promise<string> {
  const parent = await mkdtemp(path.join(tmpdir(), 'wuc-stale-test-'));
  await chmod(parent, 0o755);
  folders.push(parent);
  return parent;
}

/** Pids whose command line mentions `marker`, from /proc. */
async function processesMentioning(marker: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = await readFile(`/proc/${entry}/cmdline`, 'latin1');
      if (text.includes(marker)) pids.push(Number(entry));
    } catch {
      // The process ended between readdir and readFile.
    }
  }
  return pids;
}

function waitForLine(stream: NodeJS.ReadableStream, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${text}`)), timeoutMs);
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/** Waits for the run's target to record its pid in the work folder, and returns that pid. */
async function waitForTargetPid(workDir: string, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const file = (await readdir(workDir)).find((name) => name.startsWith('target-'));
    if (file !== undefined) return Number(/target-(\d+)\.json/.exec(file)?.[1]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no target pid file in ${workDir} within ${timeoutMs} ms`);
}

describe('removeStaleWorkDirs', () => {
  it('keeps folders of live or unknown owners', async () => {
    const parent = await createTempParent();
    const own = await createOwnedWorkDir(parent, 'live');
    const foreign = path.join(parent, 'wuc-foreign');
    await mkdir(foreign);

    const removed = await removeStaleWorkDirs(parent, silentLogger);

    expect(removed).toEqual([]);
    expect(existsSync(own)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
  });

  it('removes a folder whose owner exited', async () => {
    const parent = await createTempParent();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const stale = path.join(parent, 'wuc-stale-run');
    await mkdir(stale);
    await writeFile(path.join(stale, OWNER_FILE), JSON.stringify({ pid: deadPid, startTicks: null }));

    const removed = await removeStaleWorkDirs(parent, silentLogger);

    expect(isProcessAlive({ pid: deadPid, startTicks: null })).toBe(false);
    expect(removed).toEqual([stale]);
    expect(existsSync(stale)).toBe(false);
  });

  it('takes a reused pid for a dead owner', async () => {
    const parent = await createTempParent();
    const stale = path.join(parent, 'wuc-reused-pid');
    await mkdir(stale);
    // This process is alive, but it started at another time than the recorded owner.
    await writeFile(path.join(stale, OWNER_FILE), JSON.stringify({ pid: process.pid, startTicks: '1' }));

    const removed = await removeStaleWorkDirs(parent, silentLogger);

    expect(removed).toEqual([stale]);
  });
});

/** Starts the CLI on slow-db and waits until its target runs; returns its work folder and pids. */
async function startHarness(parent: string, reportsDir: string) {
  const env = { ...process.env, TMPDIR: parent, LOG_LEVEL: 'silent' };
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, '--filter', 'slow-db', '--reports-dir', reportsDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await waitForLine(child.stderr, /running slow-db/, 90_000);
  const [workDir = ''] = (await listWorkDirs(parent)).map((name) => path.join(parent, name));
  const targetPid = await waitForTargetPid(workDir, 30_000);
  return { child, exited, env, workDir, targetPid };
}

/** Polls until `check` returns true, or fails after `timeoutMs`. */
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

describe.skipIf(!existsSync('/proc'))('harness killed with SIGKILL', () => {
  it('is cleaned up by its watchdog', async () => {
    const parent = await createTempParent();
    const { child, exited, workDir, targetPid } = await startHarness(parent, await createTempParent());

    expect(workDir).toMatch(/\/wuc-\d{8}T\d{6}Z-[0-9a-f]{4}-/);
    expect(await processesMentioning(workDir)).not.toEqual([]);
    expect(isProcessAlive({ pid: targetPid, startTicks: null })).toBe(true);

    // SIGKILL to the harness alone, as `kill -9 <pid>` does: no cleanup code of its own runs.
    child.kill('SIGKILL');
    await exited;

    // Postgres gets up to 10 s for its immediate shutdown; the rest is margin for a busy machine.
    await waitUntil(async () => (await listWorkDirs(parent)).length === 0, 30_000, 'removing the work folder');
    await waitUntil(async () => (await processesMentioning(workDir)).length === 0, 10_000, 'ending every process of the run');
    expect(isProcessAlive({ pid: targetPid, startTicks: null })).toBe(false);
  });

  it('is cleaned up by the next run without a watchdog', async () => {
    const parent = await createTempParent();
    const reportsDir = await createTempParent();
    const { child, exited, env, workDir, targetPid } = await startHarness(parent, reportsDir);
    const watchdogs = (await processesMentioning(workDir)).filter((pid) =>
      readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('orphan-watchdog.mjs'),
    );
    expect(watchdogs).toHaveLength(1);

    // Killing the watchdog first leaves the cleanup to the next run, as after `kill -9 -<group>`
    // of a harness whose targets run in groups of their own.
    for (const pid of watchdogs) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
    await exited;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await listWorkDirs(parent)).toHaveLength(1);
    expect(isProcessAlive({ pid: targetPid, startTicks: null })).toBe(true);

    // The second run fails at once on its DATABASE_URL, after its start-up cleanup ran.
    const second = spawnSync(process.execPath, ['--import', 'tsx', BIN, '--filter', 'slow-db', '--reports-dir', reportsDir], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...env, DATABASE_URL: 'notaurl' },
    });

    expect(second.status).toBe(2);
    expect(await listWorkDirs(parent)).toEqual([]);
    expect(await processesMentioning(workDir)).toEqual([]);
    expect(isProcessAlive({ pid: targetPid, startTicks: null })).toBe(false);
  });
});
