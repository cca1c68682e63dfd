import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTempDir } from './fixture-targets.ts';
import { readProbeReport } from './read-probe-report.ts';

const REJECTION = {
  type: 'event',
  kind: 'unhandledRejection',
  origin: 'unhandledRejection',
  name: 'Error',
  message: 'lost',
  stack: null,
  atMs: 1_000,
  pid: 42,
};
const CRASH = { ...REJECTION, type: 'crash', kind: 'uncaughtException', stack: 'Error: lost\n    at main.js:1:1', atMs: 1_001 };

async function writeLines(lines: string[]): Promise<string> {
  const dir = await createTempDir();
  const file = path.join(dir, 'probe.jsonl');
  await writeFile(file, lines.join('\n'));
  return file;
}

describe('readProbeReport', () => {
  it('reports a missing file as not loaded', async () => {
    const dir = await createTempDir();

    expect(readProbeReport(path.join(dir, 'none.jsonl'))).toEqual({
      loaded: false,
      unhandledRejections: [],
      uncaughtExceptions: [],
      crash: null,
      resources: null,
    });
  });

  it('skips a line cut by a crash', async () => {
    const file = await writeLines([
      JSON.stringify({ type: 'loaded', pid: 42, atMs: 999 }),
      JSON.stringify(REJECTION),
      '{"type":"event","kind":"uncaughtExce',
    ]);

    const report = readProbeReport(file);

    expect(report.loaded).toBe(true);
    expect(report.unhandledRejections).toHaveLength(1);
    expect(report.uncaughtExceptions).toEqual([]);
  });

  it('takes the crash stack for the rejection', async () => {
    const file = await writeLines([JSON.stringify(REJECTION), JSON.stringify(CRASH), '']);

    const report = readProbeReport(file);

    expect(report.unhandledRejections[0]?.stack).toBe('Error: lost\n    at main.js:1:1');
    expect(report.crash).toEqual({
      kind: 'uncaughtException',
      origin: 'unhandledRejection',
      name: 'Error',
      message: 'lost',
      stack: 'Error: lost\n    at main.js:1:1',
      atMs: 1_001,
      pid: 42,
    });
  });

  it('keeps the last resource sample', async () => {
    const sample = (atMs: number) => JSON.stringify({ type: 'resources', pid: 42, atMs, activeHandles: 3, rssBytes: 10, heapUsedBytes: 5 });
    const file = await writeLines([sample(1), sample(2), '']);

    expect(readProbeReport(file).resources).toEqual({ atMs: 2, activeHandles: 3, rssBytes: 10, heapUsedBytes: 5 });
  });

  it('ignores records of unknown shape', async () => {
    const file = await writeLines(['[1,2]', '"text"', JSON.stringify({ ...REJECTION, kind: 'warning' }), JSON.stringify({ type: 'other' })]);

    const report = readProbeReport(file);

    expect(report.unhandledRejections).toEqual([]);
    expect(report.loaded).toBe(false);
  });
});
