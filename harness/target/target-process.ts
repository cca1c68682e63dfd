import type { ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import type { TargetConfig } from '../model/target-config.ts';
import type { ProbeReport, TargetExit } from '../model/target.ts';
import { emptyProbeReport, readProbeReport } from './read-probe-report.ts';

/** A target process the harness started and that answered its ready path. */
export interface RunningTarget {
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  /** `http://<host>:<port>`. */
  readonly baseUrl: string;
  /** Whether the probe was preloaded (Node targets only). */
  readonly hasProbe: boolean;
  /** Parses the probe file again on each call. */
  readProbe(): ProbeReport;
  /** Sends `signal` to the target process; the first one starts the exit timing. */
  sendSignal(signal: NodeJS.Signals): void;
  readonly exited: Promise<TargetExit>;
  /** How the process ended, or null while it runs. */
  exitInfo(): TargetExit | null;
  /**
   * Sends the config's shutdown signal, waits up to its grace period (counted from the first
   * signal), then kills the whole process group. Resolves once the process has exited; calling
   * it again returns the same promise.
   */
  stop(): Promise<TargetExit>;
  /** Kills the whole process group at once; resolves with the exit, or null if none came. */
  kill(): Promise<TargetExit | null>;
}

export interface TargetProcessOptions {
  child: ChildProcess & { pid: number };
  config: TargetConfig;
  host: string;
  port: number;
  probeFile: string | null;
  logger: Logger;
}

/** Bound on waiting for a process group killed with SIGKILL to report its exit, in ms. */
const KILL_WAIT_MS = 5_000;

/**
 * The lifecycle of one target process:
 *
 *   running --sendSignal/stop--> signalled --exit--> exited
 *      |                            | graceMs passed (stop only)
 *      |                            v
 *      +-------kill-------> SIGKILL to the process group --exit--> exited
 *
 * The target runs in its own process group (spawned detached), so SIGKILL to the group also
 * ends the processes it started. The group is swept once more when the target exits, because
 * children of a target that exits on its own would otherwise outlive it.
 */
export class TargetProcess implements RunningTarget {
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  readonly baseUrl: string;
  readonly hasProbe: boolean;
  readonly exited: Promise<TargetExit>;

  readonly #config: TargetConfig;
  readonly #probeFile: string | null;
  readonly #logger: Logger;
  #exit: TargetExit | null = null;
  #firstSignalAt: number | null = null;
  #stopRequested = false;
  #stopping: Promise<TargetExit> | null = null;

  constructor(options: TargetProcessOptions) {
    const { child, host, port } = options;
    this.pid = child.pid;
    this.host = host;
    this.port = port;
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.hasProbe = options.probeFile !== null;
    this.#config = options.config;
    this.#probeFile = options.probeFile;
    this.#logger = options.logger;
    // After a successful spawn, 'error' only reports a failed signal or IPC call; without a
    // listener it would crash the harness.
    child.on('error', (err) => this.#logger.error({ err, targetPid: this.pid }, 'target process error'));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve(this.#recordExit(code, signal)));
    });
  }

  readProbe(): ProbeReport {
    return this.#probeFile === null ? emptyProbeReport() : readProbeReport(this.#probeFile);
  }

  sendSignal(signal: NodeJS.Signals): void {
    if (this.#exit !== null) return;
    this.#firstSignalAt ??= performance.now();
    this.#logger.debug({ targetPid: this.pid, signal }, 'signal sent to target');
    signalProcess(this.pid, signal);
  }

  exitInfo(): TargetExit | null {
    return this.#exit;
  }

  stop(): Promise<TargetExit> {
    this.#stopping ??= this.#stopOnce();
    return this.#stopping;
  }

  /** Kills the process group at once, for cleanup after a failed start or on Ctrl-C. */
  async kill(): Promise<TargetExit | null> {
    if (this.#exit !== null) return this.#exit;
    this.#stopRequested = true;
    signalProcess(-this.pid, 'SIGKILL');
    return waitFor(this.exited, KILL_WAIT_MS);
  }

  async #stopOnce(): Promise<TargetExit> {
    if (this.#exit !== null) return this.#exit;
    this.#stopRequested = true;
    const { signal, graceMs } = this.#config.shutdown;
    if (this.#firstSignalAt === null) this.sendSignal(signal);

    const elapsedMs = performance.now() - (this.#firstSignalAt ?? performance.now());
    const exit = await waitFor(this.exited, Math.max(0, graceMs - elapsedMs));
    if (exit !== null) return exit;

    this.#logger.warn({ targetPid: this.pid, graceMs }, 'target did not exit within its grace period; killing its process group');
    signalProcess(-this.pid, 'SIGKILL');
    return this.exited;
  }

  #recordExit(code: number | null, signal: NodeJS.Signals | null): TargetExit {
    const signalledAt = this.#firstSignalAt;
    const exit: TargetExit = {
      code,
      signal,
      requested: this.#stopRequested || signalledAt !== null,
      afterSignalMs: signalledAt === null ? null : Math.round(performance.now() - signalledAt),
      atMs: Date.now(),
    };
    this.#exit = exit;
    this.#sweepGroup();
    this.#logger.info({ targetPid: this.pid, code, signal, requested: exit.requested }, 'target exited');
    return exit;
  }

  #sweepGroup(): void {
    try {
      signalProcess(-this.pid, 'SIGKILL');
    } catch (err) {
      // Runs in the child's exit handler, where a throw would crash the harness.
      this.#logger.error({ err, targetPid: this.pid }, 'could not kill the process group of the exited target');
    }
  }
}

/**
 * Sends `signal` to a pid, or to a process group when `pid` is negative. ESRCH means the process
 * or every member of the group is already gone, which is the goal.
 */
function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Resolves with the value of `promise`, or null if it has not settled within `timeoutMs`. */
async function waitFor<T>(promise: Promise<T>, timeoutMs: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
