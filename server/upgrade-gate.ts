import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import type { UpgradeDecision, UpgradeIdentity } from './authenticate-upgrade.ts';
import { DatabaseUnavailableError, KeySetUnavailableError } from './errors.ts';
import { PendingUpgrade, type Settlement } from './pending-upgrade.ts';
import { PhaseTimings } from './phase-timings.ts';
import { REJECTION_POLICY, type RejectionClass } from './policy.ts';
import { rejectUpgrade } from './reject-upgrade.ts';
import type { ServerMetrics } from './server-metrics.ts';

/** The only path that accepts WebSocket upgrades. */
export const WEBSOCKET_PATH = '/ws';

export interface UpgradeGateOptions {
  wss: WebSocketServer;
  /** Decides one upgrade and records each phase's duration in `timings`. */
  authenticate(req: IncomingMessage, signal: AbortSignal, timings: PhaseTimings): Promise<UpgradeDecision>;
  verifyTimeoutMs: number;
  logger: Logger;
  metrics: ServerMetrics;
  onAccepted(ws: WebSocket, identity: UpgradeIdentity, log: Logger): void;
}

/**
 * Handles the HTTP server's 'upgrade' event. Every request ends in exactly one outcome:
 *
 *   upgrade --path is not /ws------------------------------> 404
 *   upgrade --HTTP version below 1.1-----------------------> 400
 *   upgrade --shutting down--------------------------------> 503 shutting down
 *   upgrade --> VERIFYING --decision: reject---------------> 401 / 403 / 429
 *                         --database or key set error------> 503 unavailable
 *                         --unexpected error---------------> 500
 *                         --deadline-----------------------> 503 timed out
 *                         --stopAccepting()----------------> 503 shutting down
 *                         --client reset or FIN------------> abandoned (socket destroyed)
 *                         --decision: accept---------------> ws.handleUpgrade --> 101
 *
 * Only the first event out of VERIFYING counts (PendingUpgrade settles once). Every response
 * after VERIFYING, the 101 included, carries a `Server-Timing` header with the phases that
 * finished.
 */
export class UpgradeGate {
  readonly #options: UpgradeGateOptions;
  readonly #pending = new Set<PendingUpgrade>();
  readonly #sockets = new Set<Duplex>();
  /** Phase timings per request, for the `headers` listener that runs while ws writes the 101. */
  readonly #timingsByRequest = new WeakMap<IncomingMessage, PhaseTimings>();
  /** Phase timings per socket, for the `Server-Timing` header of a rejection. */
  readonly #timingsBySocket = new WeakMap<Duplex, PhaseTimings>();
  #accepting = true;
  #nextAttemptId = 1;

  constructor(options: UpgradeGateOptions) {
    this.#options = options;
    options.wss.on('headers', (headers: string[], req: IncomingMessage) => {
      const value = this.#timingsByRequest.get(req)?.headerValue() ?? null;
      if (value !== null) headers.push(`Server-Timing: ${value}`);
    });
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const log = this.#options.logger.child({ attemptId: this.#nextAttemptId++ });
    this.#track(socket, log);
    log.trace({ req }, 'upgrade received');

    if (pathOf(req.url) !== WEBSOCKET_PATH) return this.#rejectStatus(socket, 404, log, 'unknown path');
    if (!isHttp11OrLater(req)) return this.#rejectStatus(socket, 400, log, `HTTP/${req.httpVersion} upgrade`);
    if (!this.#accepting) return this.#rejectClass(socket, 'shuttingDown', null, log, 'server shutting down');

    const timings = new PhaseTimings();
    this.#timingsByRequest.set(req, timings);
    this.#timingsBySocket.set(socket, timings);
    const pending = new PendingUpgrade(socket, log, (settlement) => {
      this.#pending.delete(pending);
      this.#finish({ req, socket, head, pending, log }, settlement);
    });
    this.#pending.add(pending);
    pending.start((signal) => this.#options.authenticate(req, signal, timings), this.#options.verifyTimeoutMs);
  };

  /** Rejects with 400 a handshake that ws found malformed (bad key, version or header syntax). */
  rejectMalformed(socket: Duplex, err: Error): void {
    this.#rejectStatus(socket, 400, this.#options.logger, err.message);
  }

  /** Rejects new upgrades from now on and every pending one at once, with 503. Returns the count. */
  stopAccepting(): number {
    this.#accepting = false;
    const pending = [...this.#pending];
    for (const attempt of pending) attempt.abort('WUC_ERR_SERVER_SHUTTING_DOWN', 'server shutting down');
    return pending.length;
  }

  /** Upgrade sockets not yet closed: pending, flushing a rejection, or carrying a WebSocket. */
  openSockets(): Duplex[] {
    return [...this.#sockets];
  }

  #track(socket: Duplex, log: Logger): void {
    // Node's HTTP server removes its own 'error' listener before emitting 'upgrade'; without
    // this one, a client that resets the connection would raise an uncaught exception.
    socket.on('error', (err) => log.debug({ err }, 'upgrade socket error'));
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  #finish(attempt: UpgradeAttempt, settlement: Settlement): void {
    const { socket, log } = attempt;
    if (socket.destroyed) return this.#abandon(socket, log, settlement.kind);

    if (settlement.kind === 'decided') {
      const { decision } = settlement;
      if (decision.kind === 'accept') return this.#accept(attempt, decision.identity);
      const fields = { userId: decision.userId, tokenHash: decision.tokenHash };
      return this.#rejectClass(socket, decision.rejection, decision.retryAfterS, log.child(fields), decision.detail);
    }

    if (settlement.kind === 'failed') {
      if (settlement.error instanceof DatabaseUnavailableError) {
        log.error({ err: settlement.error }, 'database unavailable during verification');
        return this.#rejectClass(socket, 'unavailable', null, log, 'database unavailable');
      }
      if (settlement.error instanceof KeySetUnavailableError) {
        log.error({ err: settlement.error }, 'signing key set unavailable during verification');
        return this.#rejectClass(socket, 'unavailable', null, log, 'signing key set unavailable');
      }
      log.error({ err: settlement.error }, 'verification failed unexpectedly');
      return this.#rejectStatus(socket, 500, log, 'internal error');
    }

    switch (settlement.reason.code) {
      case 'WUC_ERR_SERVER_VERIFY_TIMEOUT':
        log.error({ err: settlement.reason }, 'verification timed out');
        return this.#rejectClass(socket, 'timedOut', null, log, settlement.reason.message);
      case 'WUC_ERR_SERVER_SHUTTING_DOWN':
        return this.#rejectClass(socket, 'shuttingDown', null, log, settlement.reason.message);
      case 'WUC_ERR_SERVER_EARLY_DATA':
        return this.#rejectStatus(socket, 400, log, settlement.reason.message);
      case 'WUC_ERR_SERVER_CLIENT_GONE':
        return this.#abandon(socket, log, settlement.kind);
    }
  }

  #accept(attempt: UpgradeAttempt, identity: UpgradeIdentity): void {
    const { req, socket, pending, log } = attempt;
    // ws destroys a half-closed socket without calling back, which would leave no outcome.
    if (!socket.readable || !socket.writable) return this.#abandon(socket, log, 'decided');

    const head = pending.detach(attempt.head);
    this.#options.wss.handleUpgrade(req, socket, head, (ws) => {
      this.#options.metrics.acceptedUpgrades += 1;
      const sessionLog = log.child({ userId: identity.userId, jti: identity.jti });
      sessionLog.debug({ channel: identity.channel, transport: identity.transport }, 'upgrade accepted');
      this.#options.onAccepted(ws, identity, sessionLog);
    });
  }

  #rejectClass(
    socket: Duplex,
    rejection: RejectionClass,
    retryAfterS: number | null,
    log: Logger,
    detail: string,
  ): void {
    const rule = REJECTION_POLICY[rejection];
    const headers: Record<string, string> = rule.status === 401 ? { 'WWW-Authenticate': wwwAuthenticate(rejection) } : {};
    this.#rejectStatus(socket, rule.status, log, detail, { rejection, retryAfterS: retryAfterS ?? rule.retryAfterS, headers });
  }

  #rejectStatus(
    socket: Duplex,
    status: number,
    log: Logger,
    detail: string,
    extra: { rejection?: RejectionClass; retryAfterS?: number | null; headers?: Record<string, string> } = {},
  ): void {
    if (socket.destroyed) return this.#abandon(socket, log, 'rejected');

    this.#options.metrics.recordRejected(status);
    log.debug({ status, rejection: extra.rejection, detail }, 'upgrade rejected');
    const headers = { ...extra.headers };
    const serverTiming = this.#timingsBySocket.get(socket)?.headerValue() ?? null;
    if (serverTiming !== null) headers['Server-Timing'] = serverTiming;
    rejectUpgrade(socket, status, { retryAfterS: extra.retryAfterS ?? null, headers });
  }

  #abandon(socket: Duplex, log: Logger, stage: string): void {
    this.#options.metrics.abandonedUpgrades += 1;
    log.debug({ stage }, 'upgrade abandoned by client');
    socket.destroy();
  }
}

interface UpgradeAttempt {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  pending: PendingUpgrade;
  log: Logger;
}

/** RFC 6750 section 3: a request without a token gets the bare challenge. */
function wwwAuthenticate(rejection: RejectionClass): string {
  return rejection === 'missing' ? 'Bearer' : 'Bearer error="invalid_token"';
}

/**
 * RFC 6455 section 4.1 requires HTTP/1.1 or later. Node's parser reads a request line without a
 * version (`GET /ws`) as HTTP/0.9 and still emits 'upgrade', and ws does not check the version.
 */
function isHttp11OrLater(req: IncomingMessage): boolean {
  return req.httpVersionMajor > 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1);
}

function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const queryStart = target.indexOf('?');
  return queryStart === -1 ? target : target.slice(0, queryStart);
}
