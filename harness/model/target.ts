/** One unhandled rejection or uncaught exception the probe saw in the target. */
export interface ProbeEvent {
  kind: 'unhandledRejection' | 'uncaughtException';
  /** For an uncaught exception: whether it came from a rejection Node turned into a crash. */
  origin: 'unhandledRejection' | 'uncaughtException';
  name: string;
  message: string;
  stack: string | null;
  /** `Date.now()` in the target when it happened. */
  atMs: number;
  pid: number;
}

/** What the probe reported so far. */
export interface ProbeReport {
  /** Whether the probe loaded in the target at all (false for non-Node targets). */
  loaded: boolean;
  unhandledRejections: ProbeEvent[];
  /** Exceptions thrown as such; a rejection that Node turned into a crash counts only above. */
  uncaughtExceptions: ProbeEvent[];
  /**
   * The error that ended the process through Node's default handling: an uncaught exception, or
   * (with `origin` 'unhandledRejection') the rejection Node turned into one. Null if none.
   */
  crash: ProbeEvent | null;
  /** Last resource sample from the probe, if any. */
  resources: { atMs: number; activeHandles: number; rssBytes: number; heapUsedBytes: number } | null;
}

/** How a target process ended. */
export interface TargetExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the harness had sent a shutdown signal or asked it to stop before it exited. */
  requested: boolean;
  /** Time from the harness's first signal to the exit, in ms; null if it was not signalled. */
  afterSignalMs: number | null;
  /** Wall clock of the exit (`Date.now()`). */
  atMs: number;
}
