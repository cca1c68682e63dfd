import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import type { StartedPostgres } from '../model/environment.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { ResourceLimits } from './resource-limits.ts';

// An unreachable admin URL: a valid scenario would fail to sample, an invalid one never connects.
const postgres = { adminUrl: 'postgres://user:secret@127.0.0.1:1/none' } as StartedPostgres;
const logger = pino({ level: 'silent' });

function scenarioWith(expect: ScenarioDefinition['expect']): ScenarioDefinition {
  return { name: 'limits', tags: [], description: 'limits', timeline: [], expect };
}

describe('ResourceLimits', () => {
  it.each([
    [{ maxHandles: { type: '', atMs: 0, count: 1 } }, 'expect.maxHandles.type is empty'],
    [{ maxHandles: { type: 'TCPSocketWrap', atMs: 0, count: -1 } }, 'expect.maxHandles.count -1 is invalid'],
    [{ maxHandles: { type: 'TCPSocketWrap', atMs: 1.5, count: 1 } }, 'expect.maxHandles.atMs 1.5 is invalid'],
    [{ maxBackends: { count: 2.5 } }, 'expect.maxBackends.count 2.5 is invalid'],
    [{ maxBackends: { count: 4, intervalMs: 1 } }, 'expect.maxBackends.intervalMs 1 is invalid'],
  ])('rejects %j', async (expectations, message) => {
    const limits = new ResourceLimits(scenarioWith(expectations), postgres, logger);
    const finish = limits.finish(performance.now());

    await expect(finish).rejects.toThrow(HarnessError);
    await expect(finish).rejects.toThrow(`limits: ${message}`);
  });

  it('checks nothing without limits', async () => {
    const limits = new ResourceLimits(scenarioWith(undefined), postgres, logger);
    await limits.finish(performance.now());

    expect(limits.check(null, performance.now())).toEqual([]);
  });

  it('reports a sampler that cannot connect', async () => {
    const limits = new ResourceLimits(scenarioWith({ maxBackends: { count: 4 } }), postgres, logger);
    await limits.finish(performance.now());
    const [finding] = limits.check(null, performance.now());

    expect(finding?.code).toBe('no-samples');
    expect(finding?.message).toContain('sampling failed');
  });

  it('reports a handle limit without the probe', async () => {
    const limits = new ResourceLimits(scenarioWith({ maxHandles: { type: 'TCPSocketWrap', atMs: 0, count: 1 } }), postgres, logger);
    await limits.finish(performance.now());

    expect(limits.check(null, performance.now()).map((finding) => finding.code)).toEqual(['no-samples']);
  });
});
