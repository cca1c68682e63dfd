import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import type { Logger } from 'pino';

/** Prefix of every scratch folder a run creates under the system temp folder. */
export const WORK_DIR_PREFIX = 'wuc-';

/** File in a scratch folder that names the harness process owning it. */
export const OWNER_FILE = 'owner.json';

/** Prefix of the files that record a running target's process group in a scratch folder. */
export const TARGET_PID_PREFIX = 'target-';

/** Time a stale postmaster gets to stop after SIGQUIT before it is killed, in ms. */
const POSTMASTER_STOP_MS = 10_000;
const POLL_MS = 100;

/** A process id plus its start time, so a reused pid is not taken for the original process. */
export interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks since boot, from /proc/<pid>/stat; null where /proc is missing. */
  startTicks: string | null;
}

/**
 * Creates `wuc-<runId>-XXXXXX` under `parent`, readable by other users (embedded Postgres runs
 * as the `postgres` user), and records this process as its owner.
 */
export async function createOwnedWorkDir(parent: string, runId: string): Promise<string> {
  const workDir = await mkdtemp(path.join(parent, `${WORK_DIR_PREFIX}${runId}-`));
  await chmod(workDir, 0o755);
  await writeFile(path.join(workDir, OWNER_FILE), `${JSON.stringify(identifyProcess(process.pid))}\n`);
  return workDir;
}

const WATCHDOG_SCRIPT = fileURLToPath(new URL('./orphan-watchdog.mjs', import.meta.url));

/**
 * Starts a small child process that cleans up `workDir` as `removeStaleWorkDirs` does if this
 * process dies without removing it, as after `kill -9`. It exits by itself once the folder is
 * gone. Returns the function that stops it, for the end of the run.
 */
export function startOrphanWatchdog(workDir: string): () => void {
  const child = spawn(process.execPath, [WATCHDOG_SCRIPT, String(process.pid), workDir], { stdio: 'ignore' });
  // A watchdog that could not start leaves the start-up cleanup of the next run in place.
  child.on('error', () => {});
  child.unref();
  return () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  };
}

/** Returns the identity of a running process; `startTicks` is null when /proc cannot tell. */
export function identifyProcess(pid: number): ProcessIdentity {
  return { pid, startTicks: readStartTicks(pid) };
}

/** Checks whether the process a recorded identity names is still the one running. */
export function isProcessAlive(identity: ProcessIdentity): boolean {
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    // EPERM means the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readStatFields(identity.pid);
  // A zombie has exited and waits only for its parent to reap it.
  if (stat?.[0] === 'Z') return false;
  if (identity.startTicks === null) return true;
  return stat?.[19] === identity.startTicks;
}

/**
 * Removes scratch folders under `parent` whose owner process is gone, as a harness killed with
 * SIGKILL leaves them. First stops what such a run left running: the postmaster of each
 * embedded cluster, and the process group of each recorded target. Folders without an owner
 * file, and folders whose owner still runs, are left alone. Returns the folders removed.
 */
export async function removeStaleWorkDirs(parent: string, logger: Logger): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(parent, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith(WORK_DIR_PREFIX)) continue;
    const workDir = path.join(parent, entry.name);
    const owner = await readIdentity(path.join(workDir, OWNER_FILE));
    if (owner === null || isProcessAlive(owner)) continue;

    try {
      await stopLeftovers(workDir, logger);
      await rm(workDir, { recursive: true, force: true });
      removed.push(workDir);
      logger.info({ workDir, ownerPid: owner.pid }, 'removed the scratch folder of a run whose harness died');
    } catch (error) {
      // One folder that cannot be cleaned must not stop the new run; it is tried again next time.
      logger.warn({ err: error, workDir }, 'could not clean up the scratch folder of a dead run');
    }
  }
  return removed;
}

async function stopLeftovers(workDir: string, logger: Logger): Promise<void> {
  for (const name of await readdir(workDir)) {
    const file = path.join(workDir, name);
    if (name.startsWith(TARGET_PID_PREFIX)) {
      const target = await readIdentity(file);
      if (target !== null && isProcessAlive(target)) {
        logger.info({ targetPid: target.pid, workDir }, 'killing the target of a dead run');
        signalQuietly(-target.pid, 'SIGKILL');
      }
    } else if (name.startsWith('postgres-')) {
      await stopPostmaster(path.join(file, 'postmaster.pid'), logger);
    }
  }
}

/**
 * Stops the postmaster named by a `postmaster.pid` file, if it still runs that data folder:
 * SIGQUIT (immediate shutdown, which also ends its backends), then SIGKILL after a deadline.
 */
async function stopPostmaster(pidFile: string, logger: Logger): Promise<void> {
  let lines: string[];
  try {
    lines = (await readFile(pidFile, 'utf8')).split('\n');
  } catch {
    // No pid file: the cluster never started or shut down cleanly.
    return;
  }
  // Line 1 of postmaster.pid is the pid, line 2 the data folder.
  const pid = Number(lines[0]);
  const dataDir = lines[1] ?? '';
  if (!Number.isInteger(pid) || pid <= 0 || !runsDataDir(pid, dataDir)) return;

  logger.info({ postmasterPid: pid, dataDir }, 'stopping the Postgres of a dead run');
  signalQuietly(pid, 'SIGQUIT');
  const deadline = performance.now() + POSTMASTER_STOP_MS;
  while (isProcessAlive({ pid, startTicks: null }) && performance.now() < deadline) await sleep(POLL_MS);
  if (isProcessAlive({ pid, startTicks: null })) signalQuietly(pid, 'SIGKILL');
}

/** Checks that `pid` is a process whose command line names `dataDir`, so a reused pid is spared. */
function runsDataDir(pid: number, dataDir: string): boolean {
  try {
    return dataDir !== '' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dataDir);
  } catch {
    // No such process, or no /proc to check it with: leave it alone.
    return false;
  }
}

async function readIdentity(file: string): Promise<ProcessIdentity | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<ProcessIdentity>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return null;
    return { pid: parsed.pid, startTicks: typeof parsed.startTicks === 'string' ? parsed.startTicks : null };
  } catch {
    // Missing or unreadable: the folder is not one this code can judge, so it is kept.
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat: the start time in clock ticks after boot. */
function readStartTicks(pid: number): string | null {
  return readStatFields(pid)?.[19] ?? null;
}

/** Fields of /proc/<pid>/stat from field 3 (the state) on, or null without /proc or process. */
function readStatFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in field 2 may contain spaces, so fields are counted after its ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    // No /proc on this platform, or the process is gone.
    return null;
  }
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // The process or group is already gone, which is the goal.
  }
}
