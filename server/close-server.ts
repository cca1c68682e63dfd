import type { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import { CLOSE_POLICY } from './policy.ts';
import type { UpgradeGate } from './upgrade-gate.ts';

/** Longest wait for clients to reply to the 1001 close frame and read rejections, in ms. */
const MAX_CLOSE_WAIT_MS = 5_000;

/** Part of the grace period kept back for exiting after the pool wait gives up, in ms. */
const EXIT_RESERVE_MS = 1_000;

/** Wait for destroyed sockets to report 'close', in ms; a bound, not an expected duration. */
const DESTROYED_CLOSE_WAIT_MS = 1_000;

export interface ClosableParts {
  httpServer: Server;
  wss: WebSocketServer;
  gate: UpgradeGate;
  pool: pg.Pool;
  /** The Postgres rate limit store's pool, ended together with `pool`; null for memory. */
  limiterPool?: pg.Pool | null;
  logger: Logger;
  /** The process's whole shutdown budget, in ms; the close handshakes get at most half of it. */
  shutdownGraceMs: number;
}

/*
 * Shutdown sequence. The caller (main.ts) runs a grace timer across all of it and exits 1 with
 * a fatal log when the timer fires first.
 *
 *   RUNNING
 *      | close() or SIGTERM/SIGINT
 *      v
 *   DRAINING      new upgrades get 503 shutting down, every pending verification gets 503 at
 *      |          once (its late result is ignored), every open WebSocket gets close(1001)
 *      | every upgrade socket closed, or the wait passed (stragglers are destroyed)
 *      v
 *   CLOSING_HTTP  the listener stops, idle keep-alive connections close, in-flight HTTP
 *      |          requests finish
 *      | HTTP server 'close'
 *      v
 *   ENDING_POOL   pool.end() (and the rate limit store's pool.end(), if any) waits until
 *      |          in-flight queries release their clients, at most
 *      |          until 1 s before the grace period ends; then the remaining queries are
 *      |          abandoned (they belong to verifications already answered with 503, and
 *      |          exiting closes their connections)
 *      v
 *   CLOSED
 */
export async function closeServer(parts: ClosableParts): Promise<void> {
  const { logger, gate, wss } = parts;
  const startedAt = performance.now();
  const abortedVerifications = gate.stopAccepting();
  const clients = [...wss.clients];
  logger.info({ abortedVerifications, openConnections: clients.length }, 'draining connections');

  const { code, reason } = CLOSE_POLICY.shutdown;
  for (const ws of clients) ws.close(code, reason);
  const sockets = gate.openSockets();
  const allClosed = Promise.all([
    ...clients.map((ws) => closeEvent(ws, ws.readyState === ws.CLOSED)),
    ...sockets.map((socket) => closeEvent(socket, socket.closed)),
  ]);

  const closeWaitMs = Math.min(MAX_CLOSE_WAIT_MS, Math.floor(parts.shutdownGraceMs / 2));
  if (!(await settlesWithin(allClosed, closeWaitMs))) {
    const terminated = clients.filter((ws) => ws.readyState !== ws.CLOSED);
    for (const ws of terminated) ws.terminate();
    for (const socket of sockets) socket.destroy();
    logger.warn({ terminated: terminated.length, closeWaitMs }, 'close handshakes timed out, sockets destroyed');
    // Destroyed sockets emit 'close' within a few ticks; ws then emits its own 'close'.
    await settlesWithin(allClosed, DESTROYED_CLOSE_WAIT_MS);
  }

  logger.info('closing http server');
  await closeHttpServer(parts.httpServer, wss);

  logger.info('ending database pool');
  const elapsedMs = performance.now() - startedAt;
  const poolWaitMs = Math.max(0, Math.round(parts.shutdownGraceMs - EXIT_RESERVE_MS - elapsedMs));
  const pool = parts.pool;
  const ended = Promise.all([pool.end(), parts.limiterPool?.end()]);
  if (!(await settlesWithin(ended, poolWaitMs))) {
    const clients = { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    logger.warn({ poolWaitMs, clients }, 'database pool did not end in time, in-flight queries abandoned');
  }
  logger.info('server closed');
}

function closeEvent(emitter: EventEmitter, alreadyClosed: boolean): Promise<void> {
  if (alreadyClosed) return Promise.resolve();
  return new Promise((resolve) => emitter.once('close', () => resolve()));
}

/** Resolves true when `promise` settles within `waitMs`, else false. */
async function settlesWithin(promise: Promise<unknown>, waitMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), waitMs);
  });
  try {
    return await Promise.race([promise.then(() => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function closeHttpServer(httpServer: Server, wss: WebSocketServer): Promise<void> {
  return new Promise((resolve) => {
    wss.close();
    // The callback gets ERR_SERVER_NOT_RUNNING when the server never listened; closed either way.
    httpServer.close(() => resolve());
    httpServer.closeIdleConnections();
  });
}
