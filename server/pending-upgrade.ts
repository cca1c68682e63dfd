import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { UpgradeDecision } from './authenticate-upgrade.ts';
import { VerificationAbortedError } from './errors.ts';

/** Bytes a client may send after its request head and before the 101, kept for ws. */
const MAX_EARLY_BYTES = 64 * 1024;

/** Outcome of a verification: its decision, the error it threw, or the abort reason. */
export type Settlement =
  | { kind: 'decided'; decision: UpgradeDecision }
  | { kind: 'failed'; error: unknown }
  | { kind: 'aborted'; reason: VerificationAbortedError };

/**
 * One upgrade whose verification is running. It settles exactly once, with whichever comes
 * first: the decision, an error from verification, the deadline, an abort from shutdown, or
 * the client closing its socket. Anything that arrives later is logged at debug and dropped.
 *
 * While verification runs, the socket is read so a client FIN ('end') is seen; bytes that
 * arrive in that time belong to the WebSocket stream and are handed to ws by `detach`.
 */
export class PendingUpgrade {
  readonly #socket: Duplex;
  readonly #log: Logger;
  readonly #onSettled: (settlement: Settlement) => void;
  readonly #controller = new AbortController();
  readonly #earlyChunks: Buffer[] = [];
  #earlyBytes = 0;
  #settled = false;
  #deadline: NodeJS.Timeout | undefined;

  constructor(socket: Duplex, log: Logger, onSettled: (settlement: Settlement) => void) {
    this.#socket = socket;
    this.#log = log;
    this.#onSettled = onSettled;
  }

  /** Starts `verify` with a deadline of `timeoutMs`. Call once. */
  start(verify: (signal: AbortSignal) => Promise<UpgradeDecision>, timeoutMs: number): void {
    const signal = this.#controller.signal;
    signal.addEventListener('abort', () => this.#settle({ kind: 'aborted', reason: signal.reason }), { once: true });

    this.#deadline = setTimeout(() => {
      this.abort('WUC_ERR_SERVER_VERIFY_TIMEOUT', `verification took longer than ${timeoutMs} ms`);
    }, timeoutMs);
    this.#socket.on('data', this.#onData);
    this.#socket.on('end', this.#onClientGone);
    this.#socket.on('close', this.#onClientGone);

    // Both branches are handled, so a late rejection (a pg error after the deadline) is dropped
    // here instead of becoming an unhandled rejection.
    verify(signal).then(
      (decision) => this.#settle({ kind: 'decided', decision }),
      (error: unknown) => this.#settle({ kind: 'failed', error }),
    );
  }

  /** Aborts the verification; the attempt settles at once with `code` unless it already has. */
  abort(code: VerificationAbortedError['code'], message: string): void {
    if (this.#settled) return;
    this.#controller.abort(new VerificationAbortedError(code, message));
  }

  /** Stops reading the socket and returns `head` plus the bytes that arrived meanwhile. */
  detach(head: Buffer): Buffer {
    this.#socket.off('data', this.#onData);
    return this.#earlyBytes === 0 ? head : Buffer.concat([head, ...this.#earlyChunks]);
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#settled) return;
    this.#earlyBytes += chunk.length;
    if (this.#earlyBytes > MAX_EARLY_BYTES) {
      this.abort('WUC_ERR_SERVER_EARLY_DATA', `client sent over ${MAX_EARLY_BYTES} bytes before the 101`);
      return;
    }
    this.#earlyChunks.push(chunk);
  };

  readonly #onClientGone = (): void => {
    this.abort('WUC_ERR_SERVER_CLIENT_GONE', 'client closed the socket during verification');
  };

  #settle(settlement: Settlement): void {
    if (this.#settled) {
      this.#log.debug({ settlement: settlement.kind }, 'late verification result ignored');
      return;
    }

    this.#settled = true;
    clearTimeout(this.#deadline);
    this.#socket.off('end', this.#onClientGone);
    this.#socket.off('close', this.#onClientGone);
    try {
      this.#onSettled(settlement);
    } catch (err) {
      // Reached only through a bug; destroying the socket still gives the attempt an end.
      this.#log.error({ err }, 'settling upgrade failed');
      this.#socket.destroy();
    }
  }
}
