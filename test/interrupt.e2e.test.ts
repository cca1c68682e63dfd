import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = path.join(ROOT, 'harness/cli/bin.ts');
let reportsDir: string | null = null;

afterEach(async () => {
  if (reportsDir !== null) await rm(reportsDir, { recursive: true, force: true });
  reportsDir = null;
});

/** Pids whose command line or environment mentions `marker`, from /proc. */
async function processesMentioning(marker: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const file of ['cmdline', 'environ']) {
      try {
        const text = await readFile(`/proc/${entry}/${file}`, 'latin1');
        if (text.includes(marker)) pids.push(Number(entry));
      } catch {
        // The process ended between readdir and readFile, or is not ours to read.
      }
    }
  }
  return [...new Set(pids)];
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

describe.skipIf(!existsSync('/proc'))('Ctrl-C during a run', () => {
  it('exits 130 and leaves no process behind', async () => {
    reportsDir = await mkdtemp(path.join(tmpdir(), 'wuc-interrupt-'));
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, '--filter', 'slow-db', '--reports-dir', reportsDir], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitForLine(child.stderr, /running slow-db/, 60_000);
      // A terminal sends Ctrl-C to the whole foreground process group.
      process.kill(-(child.pid ?? 0), 'SIGINT');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 30_000))]);
      expect(code).toBe(130);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const [runId] = (await readdir(reportsDir)).filter((name) => name !== 'latest');
      expect(runId).toBeDefined();
      expect(await processesMentioning(reportsDir)).toEqual([]);
      expect(await processesMentioning(`wuc-${runId}-`)).toEqual([]);

      // The partial run is marked, and latest does not move to it.
      const runDir = path.join(reportsDir, runId ?? '');
      const results = JSON.parse(await readFile(path.join(runDir, 'results.json'), 'utf8'));
      expect(results.interrupted).toBe(true);
      expect(results.stopReason).toBe('Interrupted by a signal (Ctrl-C or SIGTERM).');
      expect(results.scenarios).toEqual([]);
      expect(await readFile(path.join(runDir, 'index.html'), 'utf8')).toContain('id="interrupted"');
      expect(existsSync(path.join(reportsDir, 'latest'))).toBe(false);
    } finally {
      if (child.exitCode === null) process.kill(-(child.pid ?? 0), 'SIGKILL');
    }
  });
});
