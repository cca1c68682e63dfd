import { PassThrough } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makePassingRun } from './fixtures.test-helper.ts';
import { createProgressPrinter, isCi } from './terminal-progress.ts';

/** Makes a stream that records what was written, posing as a terminal when `isTTY` is set. */
function makeStream(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 60 });
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, read: () => text };
}

const scenario = makePassingRun().scenarios[0]!;

describe('createProgressPrinter', () => {
  it('prints plain lines without a TTY', () => {
    const { stream, read } = makeStream(false);
    const printer = createProgressPrinter({ stream, env: {} });
    printer.onProgress({ kind: 'scenario-start', name: 'failing-tokens', index: 0, total: 2 });
    printer.onProgress({ kind: 'scenario-end', result: scenario, index: 0, total: 2 });
    printer.stop();
    expect(printer.live).toBe(false);
    expect(read()).toBe('[1/2] running failing-tokens\n[1/2] PASS failing-tokens  18 attempts  1.3 s\n');
  });

  it('prints plain lines on CI', () => {
    const { stream } = makeStream(true);
    expect(createProgressPrinter({ stream, env: { CI: 'true' } }).live).toBe(false);
    expect(createProgressPrinter({ stream, env: { CI: 'false' } }).live).toBe(true);
  });

  it('redraws one line on a TTY', () => {
    const { stream, read } = makeStream(true);
    let nowMs = 1_000;
    const printer = createProgressPrinter({ stream, env: {}, now: () => nowMs });
    onTestFinished(() => printer.stop());
    printer.onProgress({ kind: 'scenario-start', name: 'slow-db', index: 2, total: 5 });
    nowMs = 3_500;
    printer.onProgress({ kind: 'attempt-end', index: 2, attemptsDone: 4, attemptsTotal: 8 });
    printer.onProgress({ kind: 'scenario-start', name: 'slow-db', index: 2, total: 5 });
    expect(read()).toBe('\r\x1b[2K[3/5] running slow-db  0.0 s\r\x1b[2K[3/5] running slow-db  0.0 s');
    printer.onProgress({ kind: 'scenario-end', result: scenario, index: 2, total: 5 });
    expect(read().endsWith('\r\x1b[2K[3/5] PASS failing-tokens  18 attempts  1.3 s\n')).toBe(true);
  });

  it('counts attempts and fits the width', async () => {
    const { stream, read } = makeStream(true);
    let nowMs = 0;
    const printer = createProgressPrinter({ stream, env: {}, now: () => nowMs, redrawMs: 5 });
    onTestFinished(() => printer.stop());
    printer.onProgress({ kind: 'scenario-start', name: 'a-scenario-with-a-rather-long-name', index: 0, total: 1 });
    printer.onProgress({ kind: 'attempt-end', index: 0, attemptsDone: 12, attemptsTotal: 40 });
    nowMs = 2_000;
    // The timer redraws within a few ms; 2 s is a generous bound on a loaded machine.
    const deadline = Date.now() + 2_000;
    while (!read().includes('12/40') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    const last = read().split('\r\x1b[2K').at(-1) ?? '';
    expect(last).toBe('[1/1] running a-scenario-with-a-rather-long-name  12/40 at…');
    expect(last.length).toBe(59);
    printer.stop();
    expect(read().endsWith('\r\x1b[2K')).toBe(true);
  });
});

describe('isCi', () => {
  it('reads the CI variable', () => {
    expect(isCi({})).toBe(false);
    expect(isCi({ CI: '' })).toBe(false);
    expect(isCi({ CI: '0' })).toBe(false);
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
  });
});
