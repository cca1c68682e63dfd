import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { TokenTransport } from '../model/target-config.ts';

/** Listen address of the target: loopback host, port, and the upgrade path with its query. */
export interface RawEndpoint {
  host: string;
  port: number;
  /** Request target, for example `/ws?channel=lobby`. */
  path: string;
}

/** End state of one raw exchange. Times are `performance.now()` values. */
export interface RawExchangeResult {
  /** Status code of the first response line; null when none arrived. */
  status: number | null;
  /** The first response line as received, cut to 200 characters; null when none arrived. */
  statusLine: string | null;
  /** True when the socket closed (FIN or reset) before a response line. */
  closedWithoutResponse: boolean;
  /** True when neither a response line nor a close arrived within the timeout. */
  timedOut: boolean;
  /** Socket error message, if any (ECONNRESET after a close counts as a close). */
  error: string | null;
  endedAt: number;
}

const MAX_STATUS_LINE_CHARS = 200;
const STATUS_LINE = /^HTTP\/\d\.\d (\d{3})/;

/** Returns a fresh random `Sec-WebSocket-Key`: 16 random bytes in base64, as RFC 6455 requires. */
export function newWebSocketKey(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Builds a complete, valid upgrade request head for `endpoint`, with the token in the place
 * `transport` names. `tokenParameter` names the cookie or query parameter for those transports.
 */
export function buildUpgradeRequest(
  endpoint: RawEndpoint,
  token: string | null,
  transport: TokenTransport,
  tokenParameter: string,
): string {
  let target = endpoint.path;
  const headers = [
    `Host: ${endpoint.host}:${endpoint.port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${newWebSocketKey()}`,
    'Sec-WebSocket-Version: 13',
  ];
  if (token !== null) {
    if (transport === 'authorization-header') headers.push(`Authorization: Bearer ${token}`);
    if (transport === 'subprotocol') headers.push(`Sec-WebSocket-Protocol: bearer, ${token}`);
    if (transport === 'cookie') headers.push(`Cookie: ${tokenParameter}=${token}`);
    if (transport === 'query') {
      const separator = target.includes('?') ? '&' : '?';
      target = `${target}${separator}${tokenParameter}=${encodeURIComponent(token)}`;
    }
  }
  return `GET ${target} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`;
}

/**
 * Writes `request` on a new TCP connection and waits for the first response line, a close or
 * `timeoutMs`, whichever comes first; then destroys the socket. With `endAfterWrite` the client
 * half-closes after writing, as a client that sends a truncated request and stops does. Never
 * rejects.
 */
export function exchangeRaw(
  endpoint: RawEndpoint,
  request: Buffer,
  options: { timeoutMs: number; endAfterWrite: boolean },
): Promise<RawExchangeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port });
    let received = '';
    let status: number | null = null;
    let statusLine: string | null = null;
    let timedOut = false;
    let error: string | null = null;

    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, options.timeoutMs);

    socket.on('connect', () => {
      if (options.endAfterWrite) socket.end(request);
      else socket.write(request);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const lineEnd = received.indexOf('\r\n');
      if (lineEnd === -1 && received.length < MAX_STATUS_LINE_CHARS) return;
      statusLine = received.slice(0, lineEnd === -1 ? MAX_STATUS_LINE_CHARS : lineEnd);
      const match = STATUS_LINE.exec(statusLine);
      status = match === null ? null : Number(match[1]);
      socket.destroy();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const gotLine = statusLine !== null;
      resolve({
        status,
        statusLine,
        closedWithoutResponse: !gotLine && !timedOut,
        timedOut: !gotLine && timedOut,
        error,
        endedAt: performance.now(),
      });
    });
  });
}
