import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { authenticateUpgrade } from './authenticate-upgrade.ts';
import { closeServer } from './close-server.ts';
import type { ServerConfig } from './config.ts';
import { createRateLimiter } from './create-rate-limiter.ts';
import { createPool, pingDatabase } from './database.ts';
import { ServerError } from './errors.ts';
import { selectSubprotocol } from './extract-token.ts';
import { createRequestHandler } from './http-routes.ts';
import { ServerMetrics, type MetricsSnapshot } from './server-metrics.ts';
import { startSession } from './start-session.ts';
import { UpgradeGate, WEBSOCKET_PATH } from './upgrade-gate.ts';
import { createTokenVerifier } from './verify-token.ts';

/** Time `/readyz` waits for `SELECT 1`, in ms. */
const READY_PING_TIMEOUT_MS = 2_000;

/** Largest WebSocket message accepted, in bytes; echo traffic needs little. */
const MAX_PAYLOAD_BYTES = 64 * 1024;

export interface StartServerOptions {
  logger: Logger;
  /** Counters to update; pass the instance the process-level handlers count into. */
  metrics?: ServerMetrics;
}

/** A listening server. */
export interface RunningServer {
  /** The bound port, also when the config asked for port 0. */
  readonly port: number;
  readonly host: string;
  /** WebSocket URL of the upgrade path, for example `ws://127.0.0.1:8080/ws`. */
  readonly url: string;
  readonly metrics: ServerMetrics;
  /** The JSON document `GET /metrics` returns. */
  metricsSnapshot(): MetricsSnapshot;
  /** Runs the shutdown sequence (see close-server.ts). Later calls return the same promise. */
  close(): Promise<void>;
}

/**
 * Starts the HTTP and WebSocket server and resolves once it listens. The database is not
 * contacted here: while it is down, upgrades get 503 and `/readyz` reports 503.
 *
 * Wiring: ws runs with `noServer: true`, and the HTTP server's 'upgrade' event goes to
 * UpgradeGate, which owns the raw socket from the first moment. It attaches the socket 'error'
 * listener at once, runs the async verification in a promise whose every branch is handled,
 * and calls `wss.handleUpgrade` only after acceptance, once per socket. With an async
 * `verifyClient` instead, ws ignores the returned promise, so a rejection inside it is
 * unhandled and the client never gets a response.
 */
export async function startServer(config: ServerConfig, options: StartServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const metrics = options.metrics ?? new ServerMetrics();
  const pool = createPool(config, logger.child({ component: 'database' }));
  const rateLimit = createRateLimiter(config, logger.child({ component: 'rate-limit' }));
  const dependencies = {
    verifyToken: createTokenVerifier(config.jwt),
    rateLimiter: rateLimit.limiter,
    pool,
    allowedOrigins: config.allowedOrigins === null ? null : new Set(config.allowedOrigins),
  };

  const wss = new WebSocketServer({ noServer: true, handleProtocols: selectSubprotocol, maxPayload: MAX_PAYLOAD_BYTES });
  const gate = new UpgradeGate({
    wss,
    authenticate: (req, signal, timings) => authenticateUpgrade(req, dependencies, signal, timings),
    verifyTimeoutMs: config.verifyTimeoutMs,
    logger: logger.child({ component: 'upgrade' }),
    metrics,
    onAccepted: startSession,
  });
  wss.on('wsClientError', (err, socket) => gate.rejectMalformed(socket, err));

  let closing: Promise<void> | undefined;
  const metricsSnapshot = () =>
    metrics.snapshot({
      pendingVerifications: () => gate.pendingCount,
      openConnections: () => wss.clients.size,
      database: () => ({ totalClients: pool.totalCount, idleClients: pool.idleCount, waitingRequests: pool.waitingCount }),
    });
  const isReady = async () =>
    closing === undefined && httpServer.listening && (await pingDatabase(pool, READY_PING_TIMEOUT_MS));

  const httpServer = createServer(createRequestHandler({ isReady, metricsSnapshot, logger }));
  httpServer.on('upgrade', gate.handleUpgrade);
  await listen(httpServer, config, { end: () => endPools(pool, rateLimit.pool) });

  const { port } = httpServer.address() as AddressInfo;
  logger.info({ host: config.host, port, path: WEBSOCKET_PATH }, 'server listening');

  const parts = {
    httpServer,
    wss,
    gate,
    pool,
    limiterPool: rateLimit.pool,
    logger,
    shutdownGraceMs: config.shutdownGraceMs,
  };
  return {
    port,
    host: config.host,
    url: `ws://${formatHost(config.host)}:${port}${WEBSOCKET_PATH}`,
    metrics,
    metricsSnapshot,
    close: () => {
      closing ??= closeServer(parts);
      return closing;
    },
  };
}

async function listen(httpServer: Server, config: ServerConfig, pool: { end(): Promise<void> }): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await pool.end();
    throw new ServerError(
      'WUC_ERR_SERVER_LISTEN_FAILED',
      `cannot listen on ${config.host}:${config.port}; set PORT to a free port (0 picks one) or HOST to a local address`,
      { cause: err },
    );
  }
}

async function endPools(pool: { end(): Promise<void> }, limiterPool: { end(): Promise<void> } | null): Promise<void> {
  await Promise.all([pool.end(), limiterPool?.end()]);
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
