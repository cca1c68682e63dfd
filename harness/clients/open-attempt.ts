import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { TokenTransport } from '../model/target-config.ts';
import { parseServerTiming } from './parse-server-timing.ts';

/** The client's record of one attempt. Times are `performance.now()` values. */
export interface AttemptObservation {
  status: number | null;
  retryAfter: string | null;
  responseAt: number | null;
  closeCode: number | null;
  closeReason: string | null;
  closedBy: 'client' | 'server' | null;
  identity: string | null;
  error: string | null;
  /** True when no response or open arrived before `timeoutMs`. */
  hung: boolean;
  /** True when the client destroyed its socket at `abortAfterMs`, before any response. */
  aborted: boolean;
  /** Durations from the response's `Server-Timing` header; null when it had none. */
  phases: Record<string, number> | null;
  endedAt: number;
}

export interface AttemptOptions {
  /** ws:// URL including path and query, without the token. */
  url: string;
  token: string | null;
  transport: TokenTransport;
  /** Cookie or query parameter name for those transports. */
  tokenParameter: string;
  /** Identity message to wait for after open; null when the target sends none. */
  identity: { messageType: string; userIdField: string } | null;
  /** Time allowed for a response or open, in ms. */
  timeoutMs: number;
  /** Time an open connection stays open before the client closes it; null waits for the server. */
  holdMs: number | null;
  /** Upper bound for the whole attempt, open time included, in ms. */
  lifetimeMs: number;
  /** Called once when the response or open arrives, or when the attempt ends without one. */
  onSettled?: () => void;
  /** `Origin` header sent with the upgrade request; unset sends none. */
  origin?: string;
  /** Time from the request going out to the client destroying its socket, in ms; unset never aborts. */
  abortAfterMs?: number;
}

/** Time allowed for the identity message after open, in ms. */
const IDENTITY_WAIT_MS = 5_000;

/**
 * Runs one connection attempt to its end and resolves with what the client saw. Never rejects:
 * every failure is part of the observation. The result is built in the `close` handler only,
 * which ws emits once per socket and always after `error`, so nothing is counted twice.
 *
 *   CONNECTING --unexpected-response--> REJECTED --terminate--> CLOSED
 *   CONNECTING --open--> OPEN --identity or wait--> HOLD --close(1000) or server close--> CLOSED
 *   CONNECTING --timeoutMs--> HUNG --terminate--> CLOSED
 *   CONNECTING --abortAfterMs--> ABORTED --socket.destroy--> CLOSED
 */
export function openAttempt(options: AttemptOptions): Promise<AttemptObservation> {
  return new Promise((resolve) => {
    const seen: Omit<AttemptObservation, 'endedAt'> = {
      status: null,
      retryAfter: null,
      responseAt: null,
      closeCode: null,
      closeReason: null,
      closedBy: null,
      identity: null,
      error: null,
      hung: false,
      aborted: false,
      phases: null,
    };
    let clientClosing = false;
    const { url, headers, protocols } = buildRequest(options);
    const timers: NodeJS.Timeout[] = [];
    const later = (ms: number, run: () => void) => timers.push(setTimeout(run, ms));
    const abortAfterMs = options.abortAfterMs;
    // ws calls `createConnection` with one options object only, so the overloads taking a port
    // or a path never reach this function.
    const createConnection =
      abortAfterMs === undefined
        ? undefined
        : (((connectOptions: net.NetConnectOpts) => {
            const socket = net.connect(connectOptions);
            // The http client writes the buffered upgrade request as soon as the socket connects.
            socket.once('connect', () => later(abortAfterMs, () => abortSocket(socket)));
            return socket;
          }) as typeof net.createConnection);
    const ws = new WebSocket(url, protocols, { headers, handshakeTimeout: undefined, createConnection });
    const closeByClient = (code?: number) => {
      clientClosing = true;
      if (code === undefined) ws.terminate();
      else ws.close(code);
    };

    later(options.timeoutMs, () => {
      if (seen.responseAt !== null) return;
      seen.hung = true;
      closeByClient();
    });
    later(options.lifetimeMs, () => closeByClient());

    function abortSocket(socket: net.Socket) {
      if (seen.responseAt !== null || seen.hung || clientClosing) return;
      seen.aborted = true;
      clientClosing = true;
      socket.destroy();
    }

    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      options.onSettled?.();
    };

    ws.on('upgrade', (res: IncomingMessage) => {
      seen.phases = parseServerTiming(res.headers['server-timing']);
    });

    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      seen.phases = parseServerTiming(res.headers['server-timing']);
      seen.status = res.statusCode ?? null;
      seen.responseAt = performance.now();
      settle();
      const retryAfter = res.headers['retry-after'];
      seen.retryAfter = typeof retryAfter === 'string' ? retryAfter : null;
      res.resume();
      closeByClient();
    });

    ws.on('open', () => {
      seen.status = 101;
      seen.responseAt = performance.now();
      settle();
      if (options.identity === null) scheduleHold(0);
      else later(IDENTITY_WAIT_MS, () => scheduleHold(0));
    });

    ws.on('message', (data) => {
      if (options.identity === null || seen.identity !== null) return;
      seen.identity = readIdentity(data.toString(), options.identity);
      scheduleHold(0);
    });

    let holdScheduled = false;
    function scheduleHold(alreadyWaitedMs: number) {
      if (holdScheduled) return;
      holdScheduled = true;
      if (options.holdMs === null) return;
      later(Math.max(0, options.holdMs - alreadyWaitedMs), () => {
        if (ws.readyState === WebSocket.OPEN) closeByClient(1000);
      });
    }

    ws.on('error', (err: NodeJS.ErrnoException) => {
      if (seen.error === null && !clientClosing) seen.error = err.code ?? err.message;
    });

    ws.on('close', (code, reason) => {
      for (const timer of timers) clearTimeout(timer);
      settle();
      if (seen.status === 101) {
        seen.closeCode = code;
        seen.closeReason = reason.toString();
        seen.closedBy = clientClosing ? 'client' : 'server';
      }
      resolve({ ...seen, endedAt: performance.now() });
    });
  });
}

function buildRequest(options: AttemptOptions) {
  const headers: Record<string, string> = {};
  if (options.origin !== undefined) headers.origin = options.origin;
  let url = options.url;
  let protocols: string[] | undefined;
  const token = options.token;
  if (token !== null) {
    switch (options.transport) {
      case 'authorization-header':
        headers.authorization = `Bearer ${token}`;
        break;
      case 'subprotocol':
        protocols = ['bearer', token];
        break;
      case 'cookie':
        headers.cookie = `${options.tokenParameter}=${token}`;
        break;
      case 'query': {
        const parsed = new URL(url);
        parsed.searchParams.set(options.tokenParameter, token);
        url = parsed.toString();
        break;
      }
    }
  }
  return { url, headers, protocols };
}

function readIdentity(text: string, identity: { messageType: string; userIdField: string }): string | null {
  try {
    const message: unknown = JSON.parse(text);
    if (typeof message !== 'object' || message === null) return null;
    const fields = message as Record<string, unknown>;
    if (fields.type !== identity.messageType) return null;
    const userId = fields[identity.userIdField];
    return typeof userId === 'string' ? userId : null;
  } catch {
    // A first message that is not JSON carries no identity; the check reports the mismatch.
    return null;
  }
}
