import { describe, expect, it } from 'vitest';
import type { ProbeEvent, TargetExit } from '../model/target.ts';
import type { RunningTarget } from '../target/start-target.ts';
import { TargetRestarts } from './restart-target.ts';

const EXIT_OK: TargetExit = { code: 0, signal: null, requested: true, afterSignalMs: 120, atMs: 1 };

const REJECTION: ProbeEvent = {
  kind: 'unhandledRejection',
  origin: 'unhandledRejection',
  name: 'Error',
  message: 'pool ended',
  stack: 'Error: pool ended\n    at end',
  atMs: 1,
  pid: 41,
};

/** Builds a stand-in for a started target that exits with `exit` when stopped. */
function fakeTarget(pid: number, exit: TargetExit, rejections: ProbeEvent[] = []): RunningTarget {
  return {
    pid,
    host: '127.0.0.1',
    port: 40_000,
    baseUrl: 'http://127.0.0.1:40000',
    hasProbe: true,
    readProbe: () => ({ loaded: true, unhandledRejections: rejections, uncaughtExceptions: [], crash: null, resources: null }),
    sendSignal: () => undefined,
    exited: Promise.resolve(exit),
    exitInfo: () => exit,
    stop: async () => exit,
    kill: async () => exit,
  };
}

describe('TargetRestarts', () => {
  it('starts the next process on the same port', async () => {
    const ports: number[] = [];
    const restarts = new TargetRestarts(async (port, restartNumber) => {
      ports.push(port, restartNumber);
      return fakeTarget(42, EXIT_OK);
    });

    const { next, detail } = await restarts.restart(fakeTarget(41, EXIT_OK));
    expect(next.pid).toBe(42);
    expect(ports).toEqual([40_000, 1]);
    expect(detail).toMatch(/^pid 41 exited with code 0 after \d+ ms; pid 42 ready on port 40000 after \d+ ms$/);
    expect(restarts.check(4_000)).toEqual([]);
  });

  it('checks each stopped process', async () => {
    const restarts = new TargetRestarts(async () => fakeTarget(43, EXIT_OK));
    await restarts.restart(fakeTarget(41, { ...EXIT_OK, code: null, signal: 'SIGKILL', afterSignalMs: 6_000 }, [REJECTION]));

    const findings = restarts.check(4_000);
    expect(findings.map((finding) => finding.code)).toEqual(['unhandled-rejection', 'exit-code', 'slow-shutdown']);
    expect(findings[0]?.evidence).toEqual(['Error: pool ended\n    at end']);
    expect(findings[1]?.message).toBe('restarted target pid 41 exited with signal SIGKILL on its shutdown signal; expected code 0');
    expect(findings[2]?.message).toBe('restarted target pid 41 exited 6000 ms after its shutdown signal; grace period 4000 ms');
  });

  it('passes a start failure on', async () => {
    const restarts = new TargetRestarts(async () => {
      throw new Error('port in use');
    });
    await expect(restarts.restart(fakeTarget(41, EXIT_OK))).rejects.toThrow('port in use');
    expect(restarts.stopped).toHaveLength(1);
  });
});
