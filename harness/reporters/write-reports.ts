import { rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from '../model/result.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';

/** Writes results.json, junit.xml and index.html into `runDir` and points `latest` at it. */
export async function writeReports(result: RunResult, runDir: string): Promise<void> {
  await writeFile(path.join(runDir, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(path.join(runDir, 'junit.xml'), renderJunit(result));
  await writeFile(path.join(runDir, 'index.html'), renderHtml(result));
  await updateLatest(runDir);
}

async function updateLatest(runDir: string): Promise<void> {
  const latest = path.join(path.dirname(runDir), 'latest');
  await rm(latest, { force: true, recursive: true });
  await symlink(path.basename(runDir), latest, 'dir');
}
