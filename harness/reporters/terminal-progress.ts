import type { ProgressEvent } from '../runner/run-scenarios.ts';

import { renderScenarioLine } from './terminal.ts';

export interface ProgressPrinterOptions {
  /** Progress goes here, never to stdout, which carries the results. */
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** How often the live line is redrawn, in ms. @default 250 */
  redrawMs?: number;
  now?: () => number;
}

export interface ProgressPrinter {
  /** True when one line is redrawn in place; false for plain lines (no TTY, or CI set). */
  readonly live: boolean;
  onProgress(event: ProgressEvent): void;
  /** Stops the redraw timer and clears the live line; safe to call more than once. */
  stop(): void;
}

interface RunningScenario {
  name: string;
  index: number;
  total: number;
  startedAtMs: number;
  attemptsDone: number;
  attemptsTotal: number | null;
}

/** Erases the current terminal line and returns the cursor to its start. */
const CLEAR_LINE = '\r\x1b[2K';

/** Creates the progress output: one updating line on a TTY, plain lines elsewhere and on CI. */
export function createProgressPrinter(options: ProgressPrinterOptions): ProgressPrinter {
  const { stream } = options;
  const now = options.now ?? Date.now;
  const live = stream.isTTY === true && !isCi(options.env);
  let running: RunningScenario | null = null;
  let timer: NodeJS.Timeout | null = null;
  let drawn = false;

  const clear = () => {
    if (drawn) stream.write(CLEAR_LINE);
    drawn = false;
  };
  const draw = () => {
    if (running === null) return;
    const line = renderLiveLine(running, now());
    stream.write(`${CLEAR_LINE}${fitToWidth(line, stream.columns)}`);
    drawn = true;
  };
  const stopTimer = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  return {
    live,
    onProgress(event) {
      if (event.kind === 'scenario-start') {
        running = { name: event.name, index: event.index, total: event.total, startedAtMs: now(), attemptsDone: 0, attemptsTotal: null };
        if (!live) {
          stream.write(`[${event.index + 1}/${event.total}] running ${event.name}\n`);
          return;
        }
        draw();
        stopTimer();
        timer = setInterval(draw, options.redrawMs ?? 250);
        timer.unref();
      } else if (event.kind === 'attempt-end') {
        if (running === null || running.index !== event.index) return;
        running.attemptsDone = event.attemptsDone;
        running.attemptsTotal = event.attemptsTotal;
      } else {
        stopTimer();
        clear();
        running = null;
        stream.write(`${renderScenarioLine(event.result, event.index, event.total)}\n`);
      }
    },
    stop() {
      stopTimer();
      clear();
      running = null;
    },
  };
}

/** `CI=true` (or any value but empty, `0` and `false`) switches the live line off. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function renderLiveLine(running: RunningScenario, nowMs: number): string {
  const seconds = ((nowMs - running.startedAtMs) / 1000).toFixed(1);
  const total = running.attemptsTotal === null ? '' : `/${running.attemptsTotal}`;
  const attempts = running.attemptsDone > 0 || running.attemptsTotal !== null ? `  ${running.attemptsDone}${total} attempts done` : '';
  return `[${running.index + 1}/${running.total}] running ${running.name}${attempts}  ${seconds} s`;
}

/** Cuts the line to the terminal width, because a wrapped line cannot be cleared in place. */
function fitToWidth(line: string, columns: number | undefined): string {
  if (columns === undefined || columns <= 1 || line.length < columns) return line;
  return `${line.slice(0, columns - 2)}…`;
}
