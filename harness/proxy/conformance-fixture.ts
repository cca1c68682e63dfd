/**
 * Shared set-up for the conformance tests: a TCP echo upstream, the Toxiproxy under test (the
 * built-in one, or the server at `TOXIPROXY_URL`), and socket helpers whose waits are bounded
 * by deadlines that name what they waited for.
 */
import { randomUUID } from 'node:crypto';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

import { pino } from 'pino';
import { type Proxy, Toxiproxy } from 'toxiproxy-node-client';
import { onTestFinished } from 'vitest';

import { createSeededRandom } from './seeded-random.ts';
import { type StartedToxiproxyServer, startToxiproxyServer } from './toxiproxy-server.ts';

/**
 * Set `TOXIPROXY_URL` to run the suite against a real Toxiproxy on this host instead of the
 * built-in one, and `TOXIPROXY_TEST_LOG` to a pino level to see the built-in server's log.
 */
export const EXTERNAL_TOXIPROXY_URL = process.env.TOXIPROXY_URL;
export const TEST_SEED = 20240611;

export interface ToxiproxyUnderTest {
  url: string;
  client: Toxiproxy;
  /** The built-in server, or `undefined` when the suite targets `TOXIPROXY_URL`. */
  builtin: StartedToxiproxyServer | undefined;
}

/** Starts the server under test for one test file; call from `beforeAll`. */
export async function startToxiproxyUnderTest(seed = TEST_SEED): Promise<ToxiproxyUnderTest> {
  if (EXTERNAL_TOXIPROXY_URL !== undefined) {
    const url = EXTERNAL_TOXIPROXY_URL.replace(/\/$/, '');
    return { url, client: new Toxiproxy(url), builtin: undefined };
  }
  const level = process.env.TOXIPROXY_TEST_LOG;
  const logger = level === undefined ? undefined : pino({ level }, pino.destination(2));
  const random = createSeededRandom(seed);
  const builtin = await startToxiproxyServer({ port: 0, random, logger });
  return { url: builtin.url, client: new Toxiproxy(builtin.url), builtin };
}

export interface EchoServer {
  port: number;
  /** Sockets the echo server accepted so far. */
  readonly sockets: Socket[];
}

/** Starts a TCP server on 127.0.0.1 that writes back what it reads; stopped after the test. */
export async function startEchoServer(): Promise<EchoServer> {
  const sockets: Socket[] = [];
  const server: Server = createServer({ allowHalfOpen: false }, (socket) => {
    sockets.push(socket);
    socket.on('error', () => {
      // Reset tests abort these sockets on purpose; the test asserts on the client side.
    });
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  onTestFinished(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, sockets };
}

/** Creates a uniquely named proxy in front of `upstreamPort`; deleted after the test. */
export async function createTestProxy(
  subject: ToxiproxyUnderTest,
  upstreamPort: number,
): Promise<Proxy> {
  const name = `conformance_${randomUUID().slice(0, 8)}`;
  const proxy = await subject.client.createProxy({
    name,
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${upstreamPort}`,
  });
  onTestFinished(async () => {
    await fetch(`${subject.url}/proxies/${name}`, { method: 'DELETE' });
  });
  return proxy;
}

export function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}

/** Rejects with a message naming `what` when `promise` does not settle within `ms`. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The outcome of a client connection: what arrived and how it closed. */
export interface ClientOutcome {
  received: Buffer;
  /** Each `data` event's size, in arrival order. */
  chunkSizes: number[];
  /** Error code (`ECONNRESET`, ...) or `undefined` for a clean close. */
  errorCode: string | undefined;
  /** Milliseconds from connect to close. */
  closedAfterMs: number;
}

/** A client socket through a proxy that records what arrives and how the connection ends. */
export class TestClient {
  readonly socket: Socket;
  readonly startedMs = performance.now();
  readonly #chunks: Buffer[] = [];
  #errorCode: string | undefined;
  readonly #closed: Promise<void>;
  #waiters: (() => void)[] = [];

  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      for (const wake of this.#waiters) wake();
    });
    this.socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#errorCode = error.code;
    });
    this.#closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    onTestFinished(() => {
      this.socket.destroy();
    });
  }

  get receivedBytes(): number {
    return this.#chunks.reduce((total, chunk) => total + chunk.length, 0);
  }

  /** Resolves once `bytes` bytes arrived in total; fails after `ms`. */
  async waitForBytes(bytes: number, ms: number): Promise<Buffer> {
    const enough = new Promise<void>((resolve) => {
      const check = () => {
        if (this.receivedBytes < bytes) return;
        this.#waiters = this.#waiters.filter((waiter) => waiter !== check);
        resolve();
      };
      this.#waiters.push(check);
      check();
    });
    await withDeadline(enough, ms, `${bytes} bytes through the proxy`);
    return Buffer.concat(this.#chunks);
  }

  /** Resolves with the outcome once the socket closed; fails after `ms`. */
  async waitForClose(ms: number): Promise<ClientOutcome> {
    await withDeadline(this.#closed, ms, 'the proxied connection to close');
    return {
      received: Buffer.concat(this.#chunks),
      chunkSizes: this.#chunks.map((chunk) => chunk.length),
      errorCode: this.#errorCode,
      closedAfterMs: performance.now() - this.startedMs,
    };
  }

  chunkSizes(): number[] {
    return this.#chunks.map((chunk) => chunk.length);
  }
}

/** Opens a client, sends `payload` and returns the time until `payload.length` bytes echo back. */
export async function measureEchoMs(port: number, payload: Buffer, ms: number): Promise<number> {
  const client = new TestClient(port);
  await withDeadline(
    new Promise<void>((resolve) => client.socket.once('connect', () => resolve())),
    ms,
    'the proxy to accept the client',
  );
  const startedMs = performance.now();
  client.socket.write(payload);
  await client.waitForBytes(payload.length, ms);
  const elapsedMs = performance.now() - startedMs;
  client.socket.destroy();
  return elapsedMs;
}
