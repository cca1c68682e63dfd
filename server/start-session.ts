import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import type { UpgradeIdentity } from './authenticate-upgrade.ts';
import { CLOSE_POLICY } from './policy.ts';

/** Largest delay `setTimeout` accepts, in ms; longer delays are reached in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Runs one accepted connection: sends the welcome message, echoes text messages, and closes
 * with 1008 when the token expires. The identity lives in this closure, so no state is shared
 * between connections.
 */
export function startSession(ws: WebSocket, identity: UpgradeIdentity, log: Logger): void {
  const cancelExpiry = runAt(identity.expiresAtMs, () => {
    const { code, reason } = CLOSE_POLICY.tokenExpired;
    log.debug('token expired, closing connection');
    ws.close(code, reason);
  });

  ws.on('message', (data, isBinary) => {
    try {
      if (!isBinary) ws.send(JSON.stringify({ type: 'echo', data: textOf(data) }));
    } catch (err) {
      const { code, reason } = CLOSE_POLICY.internalError;
      log.error({ err }, 'message handling failed');
      ws.close(code, reason);
    }
  });
  // ws emits 'close' after every 'error', so the error is only logged here.
  ws.on('error', (err) => log.debug({ err }, 'connection error'));
  ws.once('close', (code, reason) => {
    cancelExpiry();
    log.debug({ code, reason: reason.toString() }, 'connection closed');
  });

  ws.send(JSON.stringify({ type: 'welcome', userId: identity.userId }));
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Calls `run` at `deadlineMs` (epoch ms), also when that is beyond one timer's range. */
function runAt(deadlineMs: number, run: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const delayMs = deadlineMs - Date.now();
    if (delayMs <= MAX_TIMER_MS) {
      timer = setTimeout(run, Math.max(0, delayMs));
      return;
    }
    timer = setTimeout(arm, MAX_TIMER_MS);
  };

  arm();
  return () => clearTimeout(timer);
}
