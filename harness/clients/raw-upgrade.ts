import net from 'node:net';
import type { RawEndpoint } from './raw-request.ts';

/** Observation of one client that reset its upgrade. */
export interface ResetUpgradeResult {
  /** True when the TCP connection was established and the request written. */
  sent: boolean;
  /** First response line that arrived before the reset; null when none did. */
  responseBeforeReset: string | null;
  /** Connect or socket error other than the reset itself. */
  error: string | null;
}

/**
 * Writes `request` on a new TCP connection and, `resetAfterMs` later, aborts the connection with
 * a TCP reset (`socket.resetAndDestroy()`), as a client that gives up during verification does.
 * Resolves once the socket is closed; never rejects. `timeoutMs` bounds the connect.
 */
export function sendAndReset(
  endpoint: RawEndpoint,
  request: string,
  resetAfterMs: number,
  timeoutMs: number,
): Promise<ResetUpgradeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port });
    const result: ResetUpgradeResult = { sent: false, responseBeforeReset: null, error: null };
    let resetTimer: NodeJS.Timeout | undefined;
    let resetDone = false;

    const connectTimer = setTimeout(() => {
      result.error = `connect timed out after ${timeoutMs} ms`;
      socket.destroy();
    }, timeoutMs);

    socket.on('connect', () => {
      clearTimeout(connectTimer);
      socket.write(request, () => {
        result.sent = true;
      });
      resetTimer = setTimeout(() => {
        resetDone = true;
        socket.resetAndDestroy();
      }, resetAfterMs);
    });
    socket.on('data', (chunk: Buffer) => {
      if (result.responseBeforeReset !== null) return;
      const text = chunk.toString('latin1');
      result.responseBeforeReset = text.slice(0, Math.max(0, text.indexOf('\r\n'))) || text.slice(0, 80);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!resetDone) result.error = err.code ?? err.message;
    });
    socket.on('close', () => {
      clearTimeout(connectTimer);
      clearTimeout(resetTimer);
      resolve(result);
    });
  });
}
