import type { Duplex } from 'node:stream';
import { reasonPhrase } from './policy.ts';

/** Time a rejected client gets to read the response before its socket is destroyed, in ms. */
const FLUSH_TIMEOUT_MS = 5_000;

export interface RejectOptions {
  /** Seconds for `Retry-After`; null or omitted sends none. */
  retryAfterS?: number | null;
  /** Additional response headers, for example `WWW-Authenticate`. */
  headers?: Readonly<Record<string, string>>;
}

/**
 * Writes a complete HTTP response to an upgrade socket and destroys the socket once the write
 * has flushed. The body is the reason phrase, never error details. Does nothing when the
 * socket is already destroyed, since the client is gone.
 */
export function rejectUpgrade(socket: Duplex, status: number, options: RejectOptions = {}): void {
  if (socket.destroyed) return;

  const body = reasonPhrase(status);
  const lines = [
    `HTTP/1.1 ${status} ${body}`,
    'Content-Type: text/plain',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  if (options.retryAfterS !== undefined && options.retryAfterS !== null) {
    lines.push(`Retry-After: ${options.retryAfterS}`);
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) lines.push(`${name}: ${value}`);

  // A client that stops reading would keep the socket open forever without the timer.
  const flushTimer = setTimeout(() => socket.destroy(), FLUSH_TIMEOUT_MS);
  flushTimer.unref();
  socket.once('close', () => clearTimeout(flushTimer));
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
