import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBackendLimit, checkHandleLimit, readHandleSamples } from './check-resource-limits.ts';

const START = 1_000_000;
const limit = { type: 'TCPSocketWrap', atMs: 3_000, count: 10 };

function sample(offsetMs: number, sockets: number) {
  return { atMs: START + offsetMs, handlesByType: { TCPServerWrap: 1, TCPSocketWrap: sockets } };
}

describe('checkHandleLimit', () => {
  it('passes samples within the limit', () => {
    const samples = [sample(2_500, 70), sample(3_200, 10), sample(3_700, 9)];

    expect(checkHandleLimit(samples, limit, START, START + 5_000)).toEqual([]);
  });

  it('reports samples above the limit', () => {
    const samples = [sample(3_200, 60), sample(3_700, 12), sample(4_200, 10)];
    const [finding, ...rest] = checkHandleLimit(samples, limit, START, START + 5_000);

    expect(rest).toEqual([]);
    expect(finding?.code).toBe('handle-limit');
    expect(finding?.message).toBe('2 of 3 probe sample(s) from 3000 ms on counted more than 10 TCPSocketWrap in the target (max 60)');
    expect(finding?.evidence).toEqual([
      '3200 ms: {"TCPServerWrap":1,"TCPSocketWrap":60}',
      '3700 ms: {"TCPServerWrap":1,"TCPSocketWrap":12}',
    ]);
  });

  it('reports a window without samples', () => {
    const samples = [sample(2_500, 70), sample(6_000, 0)];
    const [finding] = checkHandleLimit(samples, limit, START, START + 5_000);

    expect(finding?.code).toBe('no-samples');
  });

  it('counts a missing type as zero', () => {
    const samples = [{ atMs: START + 3_500, handlesByType: { Timeout: 4 } }];

    expect(checkHandleLimit(samples, limit, START, START + 5_000)).toEqual([]);
  });
});

describe('readHandleSamples', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wuc-handles-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps resource lines with per-type counts', async () => {
    const file = path.join(dir, 'probe.jsonl');
    const lines = [
      { type: 'loaded', pid: 1, atMs: 5 },
      { type: 'resources', atMs: 10, activeHandles: 2, handlesByType: { TCPSocketWrap: 2 } },
      { type: 'resources', atMs: 20, activeHandles: 2 },
    ];
    await writeFile(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n{"type":"reso`);

    expect(readHandleSamples(file)).toEqual([{ atMs: 10, handlesByType: { TCPSocketWrap: 2 } }]);
  });

  it('returns no samples without a file', () => {
    expect(readHandleSamples(path.join(dir, 'missing.jsonl'))).toEqual([]);
  });
});

describe('checkBackendLimit', () => {
  it('passes samples within the limit', () => {
    const samples = [{ atMs: 0, total: 4, idleNeverQueried: 0 }];

    expect(checkBackendLimit({ samples, error: null }, 4)).toEqual([]);
  });

  it('reports samples above the limit', () => {
    const samples = [
      { atMs: 0, total: 3, idleNeverQueried: 0 },
      { atMs: 100, total: 6, idleNeverQueried: 2 },
    ];
    const [finding] = checkBackendLimit({ samples, error: null }, 4);

    expect(finding?.code).toBe('backend-limit');
    expect(finding?.message).toBe('1 of 2 pg_stat_activity sample(s) counted more than 4 target sessions (max 6)');
    expect(finding?.evidence).toEqual(['100 ms after sampling started: 6 sessions, 2 idle that never ran a statement']);
  });

  it('reports a failed sampler', () => {
    const [finding] = checkBackendLimit({ samples: [], error: 'connect ECONNREFUSED' }, 4);

    expect(finding?.code).toBe('no-samples');
    expect(finding?.message).toContain('sampling failed: connect ECONNREFUSED');
  });
});
