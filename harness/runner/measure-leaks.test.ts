import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { compareHandles, readHandleSamples, type HandleSample } from './measure-leaks.ts';

function sample(handlesByType: Record<string, number> | null, activeHandles = 0): HandleSample {
  return { atMs: 0, activeHandles, handlesByType };
}

describe('compareHandles', () => {
  it('passes counts back at baseline', () => {
    expect(compareHandles(sample({ TCPServerWrap: 1, TCPSocketWrap: 1 }), sample({ TCPServerWrap: 1 }))).toEqual([]);
  });

  it('flags one extra socket', () => {
    const grown = compareHandles(sample({ TCPServerWrap: 1, TCPSocketWrap: 1 }), sample({ TCPServerWrap: 1, TCPSocketWrap: 2 }));
    expect(grown).toEqual([
      {
        kind: 'handles',
        subject: 'active TCPSocketWrap handles in the target',
        baseline: 1,
        end: 2,
        evidence: ['baseline handles: TCPServerWrap 1, TCPSocketWrap 1', 'end handles: TCPServerWrap 1, TCPSocketWrap 2'],
      },
    ]);
  });

  it('allows two extra timers', () => {
    expect(compareHandles(sample({ Timeout: 1 }), sample({ Timeout: 3 }))).toEqual([]);
    expect(compareHandles(sample({ Timeout: 1 }), sample({ Timeout: 4 })).map((excess) => excess.end)).toEqual([4]);
  });

  it('compares totals without types', () => {
    expect(compareHandles(sample(null, 3), sample({ Timeout: 9 }, 5))).toEqual([]);
    expect(compareHandles(sample(null, 3), sample(null, 6))).toEqual([
      { kind: 'handles', subject: 'active handles in the target', baseline: 3, end: 6, evidence: [] },
    ]);
  });
});

describe('readHandleSamples', () => {
  it('reads resource lines only', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wuc-leaks-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'probe.jsonl');
    const lines = [
      { type: 'loaded', pid: 1, atMs: 1 },
      { type: 'resources', pid: 1, atMs: 2, activeHandles: 2, handlesByType: { Timeout: 2 }, rssBytes: 1, heapUsedBytes: 1 },
      { type: 'resources', pid: 1, atMs: 3, activeHandles: 1, rssBytes: 1, heapUsedBytes: 1 },
    ];
    await writeFile(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n{"type":"resources","pid":1,"at`);

    expect(await readHandleSamples(file)).toEqual([
      { atMs: 2, activeHandles: 2, handlesByType: { Timeout: 2 } },
      { atMs: 3, activeHandles: 1, handlesByType: null },
    ]);
  });

  it('reads a missing file as empty', async () => {
    expect(await readHandleSamples(path.join(tmpdir(), 'wuc-missing-probe.jsonl'))).toEqual([]);
  });
});
