import type { Finding } from '../checks/finding-codes.ts';
import type { ProbeReport, TargetExit } from '../model/target.ts';
import type { RunningTarget } from '../target/start-target.ts';

/** Extra time past the grace period that still counts as a timely exit, in ms. */
const EXIT_MARGIN_MS = 1_000;

/** A target process that a `restart-target` step stopped. */
export interface StoppedProcess {
  pid: number;
  exit: TargetExit;
  probe: ProbeReport | null;
}

/**
 * Restarts the target for `restart-target` steps and keeps what each stopped process left: its
 * exit and its probe report, checked at the end like the last process.
 */
export class TargetRestarts {
  readonly stopped: StoppedProcess[] = [];
  readonly #start: (port: number, restartNumber: number) => Promise<RunningTarget>;

  /** `start` starts a new process on `port`; the caller passes a fresh probe file per restart. */
  constructor(start: (port: number, restartNumber: number) => Promise<RunningTarget>) {
    this.#start = start;
  }

  /**
   * Stops `current` with its shutdown signal (SIGKILL after the grace period) and starts a new
   * process on the same port, resolving once it is ready. Throws the start error unchanged.
   */
  async restart(current: RunningTarget): Promise<{ next: RunningTarget; detail: string }> {
    const stoppedAt = performance.now();
    const exit = await current.stop();
    this.stopped.push({ pid: current.pid, exit, probe: current.hasProbe ? current.readProbe() : null });
    const exitedAfterMs = Math.round(performance.now() - stoppedAt);

    const next = await this.#start(current.port, this.stopped.length);
    const readyAfterMs = Math.round(performance.now() - stoppedAt);
    const how = exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
    const detail = `pid ${current.pid} exited with ${how} after ${exitedAfterMs} ms; pid ${next.pid} ready on port ${next.port} after ${readyAfterMs} ms`;
    return { next, detail };
  }

  /**
   * Checks each stopped process: no unhandled rejection or uncaught exception, exit code 0, and
   * an exit within `graceMs` of the signal.
   */
  check(graceMs: number): Finding[] {
    return this.stopped.flatMap((process) => checkStoppedProcess(process, graceMs));
  }
}

function checkStoppedProcess(process: StoppedProcess, graceMs: number): Finding[] {
  const findings: Finding[] = [];
  const label = `restarted target pid ${process.pid}`;
  const rejections = process.probe?.unhandledRejections ?? [];
  if (rejections.length > 0) {
    findings.push({
      code: 'unhandled-rejection',
      message: `${rejections.length} unhandled rejection(s) in the ${label}`,
      evidence: rejections.map((event) => event.stack ?? `${event.name}: ${event.message}`),
    });
  }
  const exceptions = (process.probe?.uncaughtExceptions ?? []).filter((event) => event.origin === 'uncaughtException');
  if (exceptions.length > 0) {
    findings.push({
      code: 'uncaught-exception',
      message: `${exceptions.length} uncaught exception(s) in the ${label}`,
      evidence: exceptions.map((event) => event.stack ?? `${event.name}: ${event.message}`),
    });
  }

  const { exit } = process;
  if (exit.code !== 0) {
    const how = exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
    findings.push({ code: 'exit-code', message: `${label} exited with ${how} on its shutdown signal; expected code 0` });
  }
  if ((exit.afterSignalMs ?? 0) > graceMs + EXIT_MARGIN_MS) {
    findings.push({
      code: 'slow-shutdown',
      message: `${label} exited ${exit.afterSignalMs} ms after its shutdown signal; grace period ${graceMs} ms`,
    });
  }
  return findings;
}
