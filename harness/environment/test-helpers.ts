import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { pino, type Logger } from 'pino';

/** Creates a logger whose JSON lines are parsed into `records`, so tests can assert fields. */
export function createRecordingLogger(): { logger: Logger; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => void records.push(JSON.parse(line) as Record<string, unknown>) };
  return { logger: pino({ level: 'debug' }, stream), records };
}

/**
 * Makes a temporary folder that the `postgres` user can enter (mkdtemp creates mode 0700) and
 * returns it with its removal.
 */
export async function createWorkDir(): Promise<{ workDir: string; remove: () => Promise<void> }> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'wuc-environment-'));
  await chmod(workDir, 0o755);
  return { workDir, remove: () => rm(workDir, { recursive: true, force: true }) };
}

/**
 * Runs `cleanups` last-registered first and empties the list. Every step runs even when an
 * earlier one fails, and the first failure is rethrown afterwards.
 */
export async function runCleanups(cleanups: (() => Promise<void>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
