// Runs beside one harness run as its child: node orphan-watchdog.mjs <harness pid> <work folder>.
// When the harness dies without removing its scratch folder (kill -9), this process is
// reparented, and it then stops the Postgres and targets of that run and removes the folder.
// It is plain JavaScript, so it starts in milliseconds; the TypeScript cleanup code is loaded
// through tsx only when it is needed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 250;
/** Bound on the watch, in ms: one week, far past any run. */
const MAX_WATCH_MS = 7 * 24 * 60 * 60 * 1000;

const harnessPid = Number(process.argv[2]);
const workDir = process.argv[3] ?? '';

async function watch() {
  const deadline = Date.now() + MAX_WATCH_MS;
  while (Date.now() < deadline) {
    // The harness removes the folder when it stops normally, which ends the watch.
    if (!existsSync(workDir)) return;
    // A child whose parent died is reparented, so a new parent pid means the harness is gone.
    if (process.ppid !== harnessPid) break;
    await sleep(POLL_MS);
  }
  if (!existsSync(workDir)) return;

  const { tsImport } = await import('tsx/esm/api');
  const { removeStaleWorkDirs } = await tsImport('./owned-work-dir.ts', import.meta.url);
  const { default: pino } = await import('pino');
  await removeStaleWorkDirs(path.dirname(workDir), pino({ level: 'silent' }));
}

if (Number.isInteger(harnessPid) && harnessPid > 0 && path.isAbsolute(workDir)) await watch();
