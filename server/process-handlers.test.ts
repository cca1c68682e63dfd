import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { handleShutdownSignals, installProcessHandlers } from './process-handlers.ts';
import { ServerMetrics } from './server-metrics.ts';
import { withDeadline } from './test-client.ts';

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}

function exitRecorder() {
  const codes: number[] = [];
  let notify: (code: number) => void = () => undefined;
  const firstExit = new Promise<number>((resolve) => (notify = resolve));
  const exit = (code: number) => {
    codes.push(code);
    notify(code);
  };
  return { codes, exit, firstExit: withDeadline(firstExit, 5_000, 'an exit call') };
}

describe('installProcessHandlers', () => {
  it('counts rejections and keeps running', () => {
    const events = new EventEmitter();
    const { logger, lines } = capturingLogger();
    const metrics = new ServerMetrics();
    const { codes, exit } = exitRecorder();
    installProcessHandlers(events, { logger, metrics, exit });

    events.emit('unhandledRejection', new Error('lost promise'));

    expect(metrics.unhandledRejections).toBe(1);
    expect(codes).toEqual([]);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'unhandled rejection', err: { message: 'lost promise' } });
  });

  it('exits 1 on an uncaught exception', () => {
    const events = new EventEmitter();
    const { logger, lines } = capturingLogger();
    const metrics = new ServerMetrics();
    const { codes, exit } = exitRecorder();
    installProcessHandlers(events, { logger, metrics, exit });

    events.emit('uncaughtException', new Error('thrown from a timer'));

    expect(metrics.uncaughtExceptions).toBe(1);
    expect(codes).toEqual([1]);
    expect(lines[0]).toMatchObject({ level: 60, msg: 'uncaught exception' });
  });
});

describe('handleShutdownSignals', () => {
  it('closes once and exits 0', async () => {
    const events = new EventEmitter();
    const { logger, lines } = capturingLogger();
    const { codes, exit, firstExit } = exitRecorder();
    let closeCalls = 0;
    let finishClose: () => void = () => undefined;
    const close = () => {
      closeCalls += 1;
      return new Promise<void>((resolve) => (finishClose = resolve));
    };
    handleShutdownSignals(events, { close, logger, graceMs: 60_000, exit });

    events.emit('SIGTERM', 'SIGTERM');
    events.emit('SIGINT', 'SIGINT');
    finishClose();

    expect(await firstExit).toBe(0);
    expect(codes).toEqual([0]);
    expect(closeCalls).toBe(1);
    expect(lines.map((line) => line.msg)).toEqual([
      'shutdown started',
      'shutdown already in progress, signal ignored',
      'shutdown finished',
    ]);
  });

  it('exits 1 past the grace period', async () => {
    const events = new EventEmitter();
    const { logger, lines } = capturingLogger();
    const { exit, firstExit } = exitRecorder();
    handleShutdownSignals(events, { close: () => new Promise<void>(() => undefined), logger, graceMs: 50, exit });

    events.emit('SIGINT', 'SIGINT');

    expect(await firstExit).toBe(1);
    expect(lines.at(-1)).toMatchObject({ level: 60, msg: 'shutdown grace period passed, exiting', graceMs: 50 });
  });

  it('exits 1 when close fails', async () => {
    const events = new EventEmitter();
    const { logger } = capturingLogger();
    const { exit, firstExit } = exitRecorder();
    handleShutdownSignals(events, { close: () => Promise.reject(new Error('pool end failed')), logger, graceMs: 60_000, exit });

    events.emit('SIGTERM', 'SIGTERM');

    expect(await firstExit).toBe(1);
  });
});
