import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PhaseTimings } from './phase-timings.ts';

describe('PhaseTimings', () => {
  it('has no header before any phase', () => {
    const timings = new PhaseTimings();
    expect(timings.headerValue()).toBeNull();
    expect(timings.durationsMs()).toEqual({});
  });

  it('lists phases in verification order', async () => {
    const timings = new PhaseTimings();
    await timings.measure('lookup', () => sleep(20));
    await timings.measure('token', async () => 'claims');

    expect(Object.keys(timings.durationsMs())).toEqual(['token', 'lookup']);
    expect(timings.durationsMs().lookup).toBeGreaterThanOrEqual(15);
    expect(timings.headerValue()).toMatch(/^token;dur=\d+(\.\d)?, lookup;dur=\d+(\.\d)?$/);
  });

  it('records a phase that throws', async () => {
    const timings = new PhaseTimings();
    const failing = timings.measure('limit', async () => {
      await sleep(10);
      throw new Error('store down');
    });

    await expect(failing).rejects.toThrow('store down');
    expect(timings.durationsMs().limit).toBeGreaterThanOrEqual(5);
  });

  it('returns the work result', async () => {
    const timings = new PhaseTimings();
    expect(await timings.measure('token', async () => 42)).toBe(42);
  });
});
