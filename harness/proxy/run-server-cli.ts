/**
 * The standalone server's program: parse flags, start the server, create the proxies of
 * `--config`, then run until the signal aborts. Returns the process exit code: 0 after a clean
 * stop, 2 for bad flags or a bad config file.
 */
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';

import { pino } from 'pino';

import { HarnessError } from '../errors.ts';
import { formatServerHelp, parseServerCliOptions } from './cli-options.ts';
import { createSeededRandom } from './seeded-random.ts';
import { type StartedToxiproxyServer, startToxiproxyServer } from './toxiproxy-server.ts';

export interface ServerCliIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT or SIGTERM. */
  signal: AbortSignal;
}

export async function runServerCli(argv: readonly string[], io: ServerCliIo): Promise<number> {
  let options;
  try {
    options = parseServerCliOptions(argv);
  } catch (error) {
    return reportUsageError(error, io);
  }
  if (options.help) {
    io.stdout.write(`${formatServerHelp()}\n`);
    return 0;
  }

  const logger = pino({ level: io.env.LOG_LEVEL ?? 'info' }, io.stdout);
  const random = options.seed === undefined ? Math.random : createSeededRandom(options.seed);
  let server: StartedToxiproxyServer;
  try {
    server = await startToxiproxyServer({ ...options, logger, random });
  } catch (error) {
    return reportUsageError(toListenUsageError(error, options.host, options.port), io);
  }
  try {
    if (options.config !== undefined) await populateFromFile(server, options.config);
  } catch (error) {
    await server.stop();
    return reportUsageError(error, io);
  }

  logger.info({ url: server.url }, 'toxiproxy ready');
  await waitForAbort(io.signal);
  logger.info({ reason: String(io.signal.reason ?? 'signal') }, 'shutting down');
  await server.stop();
  return 0;
}

async function populateFromFile(server: StartedToxiproxyServer, path: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const message = `option --config: cannot read "${path}"; pass a JSON file of proxies`;
    throw new HarnessError('WUC_ERR_USAGE_INVALID_OPTION', message, { cause: error });
  }

  const response = await fetch(`${server.url}/populate`, { method: 'POST', body: text });
  if (response.status === 201) return;
  const body = (await response.json()) as { error?: string };
  const message = `option --config: "${path}" was rejected: ${body.error ?? response.status}`;
  throw new HarnessError('WUC_ERR_USAGE_INVALID_OPTION', message);
}

function toListenUsageError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const listenCodes = ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'ENOTFOUND'];
  if (code === undefined || !listenCodes.includes(code)) return error;
  const address = `${host}:${port}`;
  const message = `cannot listen on ${address} (${code}); pass a free --port or another --host`;
  return new HarnessError('WUC_ERR_USAGE_INVALID_OPTION', message, { cause: error });
}

function reportUsageError(error: unknown, io: ServerCliIo): number {
  if (!(error instanceof HarnessError)) throw error;
  io.stderr.write(`error: ${error.message}\n`);
  return error.exitCode;
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
