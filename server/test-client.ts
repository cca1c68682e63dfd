// Test helpers: real ws clients, raw sockets, token signing and bounded waits.
import type { IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { SignJWT } from 'jose';
import WebSocket from 'ws';

export const TEST_SECRET = 'test-secret-for-the-reference-server-0123456789';
export const TEST_ISSUER = 'ws-upgrade-chaos';
export const TEST_AUDIENCE = 'ws-upgrade-chaos-clients';

/** Resolves with `promise`, or rejects naming `what` once `timeoutMs` passed. */
export async function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `condition` every 20 ms until it holds, failing after `timeoutMs` with `what`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface TokenClaims {
  sub?: string;
  jti?: string;
  iss?: string;
  aud?: string;
  /** Expiry relative to now, in seconds. @default 3600 */
  expInS?: number;
  /** Not-before relative to now, in seconds; omitted when undefined. */
  nbfInS?: number;
  alg?: 'HS256' | 'HS384' | 'HS512';
  secret?: string;
}

let nextJti = 1;

/** Signs an HMAC JWT for the test server; every field can be overridden. */
export function signToken(claims: TokenClaims = {}): Promise<string> {
  const nowS = Math.floor(Date.now() / 1000);
  const builder = new SignJWT({})
    .setProtectedHeader({ alg: claims.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? 'user-0001')
    .setJti(claims.jti ?? `test-jti-${nextJti++}`)
    .setIssuer(claims.iss ?? TEST_ISSUER)
    .setAudience(claims.aud ?? TEST_AUDIENCE)
    .setIssuedAt(nowS - 60)
    .setExpirationTime(nowS + (claims.expInS ?? 3600));
  if (claims.nbfInS !== undefined) builder.setNotBefore(nowS + claims.nbfInS);
  return builder.sign(new TextEncoder().encode(claims.secret ?? TEST_SECRET));
}

/** Outcome of an upgrade attempt: an open socket with its first message, or an HTTP response. */
export type UpgradeResult =
  | { kind: 'open'; ws: WebSocket; welcome: unknown; responseHeaders: IncomingHttpHeaders }
  | { kind: 'rejected'; status: number; statusMessage: string; headers: IncomingHttpHeaders; body: string };

export interface UpgradeRequest {
  headers?: Record<string, string>;
  protocols?: string[];
}

/**
 * Opens a ws client and resolves once the server responded: after the first message on open,
 * or with the full response body on rejection. Open sockets are terminated by `cleanup`.
 */
export function attemptUpgrade(url: string, request: UpgradeRequest = {}, timeoutMs = 10_000): Promise<UpgradeResult> {
  const ws = new WebSocket(url, request.protocols, { headers: request.headers });
  openSockets.add(ws);
  ws.once('close', () => openSockets.delete(ws));

  const answered = new Promise<UpgradeResult>((resolve, reject) => {
    let responseHeaders: IncomingHttpHeaders = {};
    ws.once('upgrade', (res) => {
      responseHeaders = res.headers;
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ kind: 'rejected', status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, body });
        ws.terminate();
      });
    });
    ws.once('message', (data) => resolve({ kind: 'open', ws, welcome: JSON.parse(String(data)), responseHeaders }));
    ws.once('error', reject);
  });
  return withDeadline(answered, timeoutMs, `the answer to an upgrade of ${url}`);
}

/** Resolves with the close code and reason the client saw. */
export function waitForClose(ws: WebSocket, timeoutMs: number): Promise<{ code: number; reason: string }> {
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) throw new Error('socket already closed before waiting');
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return withDeadline(closed, timeoutMs, 'the WebSocket close');
}

/** Sends `request` (one char per byte, latin1) over a new TCP connection; resolves once written. */
export function rawConnect(port: number, request: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  openSockets.add(socket);
  socket.once('close', () => openSockets.delete(socket));
  socket.on('error', () => undefined);
  return withDeadline(
    new Promise((resolve) => socket.once('connect', () => resolve(socket))).then(() => {
      socket.write(request, 'latin1');
      return socket;
    }),
    5_000,
    `a TCP connection to port ${port}`,
  );
}

/** Collects what `socket` receives until `text` appears. */
export function readUntil(socket: Socket, text: string, timeoutMs: number): Promise<string> {
  let received = '';
  const found = new Promise<string>((resolve) => {
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (!received.includes(text)) return;
      socket.off('data', onData);
      resolve(received);
    };
    socket.on('data', onData);
  });
  return withDeadline(found, timeoutMs, `${JSON.stringify(text)} on a raw socket`);
}

/** Builds an upgrade request head by hand, for clients that must misbehave. */
export function rawUpgradeRequest(path: string, headers: Record<string, string>): string {
  const lines = [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

const openSockets = new Set<WebSocket | Socket>();

/** Terminates every client socket the helpers opened; call from afterEach. */
export function cleanup(): void {
  for (const socket of openSockets) {
    if (socket instanceof WebSocket) socket.terminate();
    else socket.destroy();
  }
  openSockets.clear();
}
