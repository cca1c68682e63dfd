import type { Logger } from 'pino';
import type { ServerMetrics } from './server-metrics.ts';

/** The part of `process` these handlers use, so tests can pass an EventEmitter. */
export interface ProcessEvents {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (err: Error) => void): unknown;
  on(event: 'SIGTERM' | 'SIGINT', listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface ProcessHandlerOptions {
  logger: Logger;
  metrics: ServerMetrics;
  exit(code: number): void;
}

/**
 * Counts and logs process-level failures. An unhandled rejection is logged at error and the
 * process keeps running. An uncaught exception leaves the process in an unknown state, so it
 * is logged at fatal and the process exits 1. The reference server should trigger neither.
 */
export function installProcessHandlers(target: ProcessEvents, options: ProcessHandlerOptions): void {
  const { logger, metrics } = options;

  target.on('unhandledRejection', (reason) => {
    metrics.unhandledRejections += 1;
    logger.error({ err: reason }, 'unhandled rejection');
  });

  target.on('uncaughtException', (err) => {
    metrics.uncaughtExceptions += 1;
    logger.fatal({ err }, 'uncaught exception');
    options.exit(1);
  });
}

export interface ShutdownSignalOptions {
  close(): Promise<void>;
  logger: Logger;
  /** Time allowed for `close()`, in ms; past it the process exits 1. */
  graceMs: number;
  exit(code: number): void;
}

/**
 * Runs `close()` on the first SIGTERM or SIGINT and exits 0 when it finishes, or 1 when it
 * fails or the grace period passes first. Later signals are logged and ignored, so a second
 * Ctrl-C does not start a second shutdown.
 */
export function handleShutdownSignals(target: ProcessEvents, options: ShutdownSignalOptions): void {
  const { logger, graceMs } = options;
  let started = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (started) {
      logger.warn({ signal }, 'shutdown already in progress, signal ignored');
      return;
    }
    started = true;
    logger.info({ signal, graceMs }, 'shutdown started');

    const graceTimer = setTimeout(() => {
      logger.fatal({ graceMs }, 'shutdown grace period passed, exiting');
      options.exit(1);
    }, graceMs);

    options.close().then(
      () => {
        clearTimeout(graceTimer);
        logger.info('shutdown finished');
        options.exit(0);
      },
      (err: unknown) => {
        clearTimeout(graceTimer);
        logger.fatal({ err }, 'shutdown failed');
        options.exit(1);
      },
    );
  };

  target.on('SIGTERM', onSignal);
  target.on('SIGINT', onSignal);
}
