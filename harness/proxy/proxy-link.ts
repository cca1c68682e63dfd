/**
 * A proxied TCP connection: the accepted client socket, the upstream socket, and one toxic link
 * per direction between them.
 *
 *   client ──read──> [upstream toxic link]   ──write──> upstream server
 *   client <─write── [downstream toxic link] <──read──  upstream server
 *
 * When a direction's chain ends, its destination socket is closed the way Go's `Conn.Close`
 * closes it in Toxiproxy: pending output is flushed, then the socket is destroyed, and the
 * other direction stops reading from it at once. A reset end (`reset_peer`) destroys both
 * sockets with TCP RST instead.
 */
import type { Socket } from 'node:net';

import type { Logger } from 'pino';

import { type ChunkChannel, END } from './chunk-channel.ts';
import { ToxicLink } from './toxic-link.ts';
import type { StubContext } from './toxic-stub.ts';
import type { ActiveToxic, StreamDirection } from './toxics/toxic.ts';

/** Byte counters a link adds to; owned by its proxy. */
export interface TrafficCounters {
  bytesUpstream: number;
  bytesDownstream: number;
}

export interface ProxyLinkOptions {
  client: Socket;
  upstream: Socket;
  chain: (direction: StreamDirection) => readonly ActiveToxic[];
  context: StubContext;
  counters: TrafficCounters;
  logger: Logger;
}

export class ProxyLink {
  readonly upstreamLink: ToxicLink;
  readonly downstreamLink: ToxicLink;
  /** Resolves once both sockets are closed and every stub has stopped. */
  readonly closed: Promise<void>;
  readonly #client: Socket;
  readonly #upstream: Socket;
  readonly #counters: TrafficCounters;
  readonly #logger: Logger;
  readonly #stopReading = new Map<Socket, () => void>();

  constructor(options: ProxyLinkOptions) {
    this.#client = options.client;
    this.#upstream = options.upstream;
    this.#counters = options.counters;
    this.#logger = options.logger;
    this.upstreamLink = new ToxicLink('upstream', () => options.chain('upstream'), options.context);
    this.downstreamLink = new ToxicLink(
      'downstream',
      () => options.chain('downstream'),
      options.context,
    );
    this.closed = Promise.all([socketClosed(this.#client), socketClosed(this.#upstream)]).then(
      () => {
        this.upstreamLink.abort();
        this.downstreamLink.abort();
      },
    );
  }

  link(direction: StreamDirection): ToxicLink {
    return direction === 'upstream' ? this.upstreamLink : this.downstreamLink;
  }

  start(): void {
    this.#stopReading.set(this.#client, readInto(this.#client, this.upstreamLink.input));
    this.#stopReading.set(this.#upstream, readInto(this.#upstream, this.downstreamLink.input));
    for (const direction of ['upstream', 'downstream'] as const) {
      const [destination, source] =
        direction === 'upstream' ? [this.#upstream, this.#client] : [this.#client, this.#upstream];
      this.#pump(direction, destination, source).catch((error: unknown) => {
        this.#logger.error({ err: error, direction }, 'link pump failed');
        this.destroy();
      });
    }
    this.upstreamLink.start();
    this.downstreamLink.start();
  }

  /** Closes both sockets at once, as disabling or deleting the proxy does. */
  destroy(): void {
    this.#client.destroy();
    this.#upstream.destroy();
  }

  async #pump(direction: StreamDirection, destination: Socket, source: Socket): Promise<void> {
    const output = this.link(direction).output;
    const counter = direction === 'upstream' ? 'bytesUpstream' : 'bytesDownstream';
    await writeFrom(output, destination, (bytes) => {
      this.#counters[counter] += bytes;
    });

    if (output.isReset) {
      this.#logger.debug({ direction }, 'link reset by toxic');
      resetSocket(destination);
      resetSocket(source);
      return;
    }
    this.#stopReading.get(destination)?.();
    destination.destroySoon();
  }
}

/** Feeds a socket's data into a channel, pausing the socket while the channel is full. */
function readInto(socket: Socket, channel: ChunkChannel): () => void {
  let stopped = false;
  const onData = (data: Buffer) => {
    channel.push({ data, timestampMs: performance.now() });
    if (channel.hasRoom) return;
    socket.pause();
    void channel.whenWritable().then(() => {
      if (!stopped) socket.resume();
    });
  };
  const stop = () => {
    if (stopped) return;
    stopped = true;
    socket.off('data', onData);
    socket.pause();
    channel.close();
  };

  socket.on('data', onData);
  socket.once('end', stop);
  socket.once('close', stop);
  socket.resume();
  return stop;
}

/** Writes a channel's chunks to a socket until the channel ends; drops them once it is gone. */
async function writeFrom(
  channel: ChunkChannel,
  socket: Socket,
  count: (bytes: number) => void,
): Promise<void> {
  for (;;) {
    const item = channel.poll();
    if (item === undefined) {
      await channel.whenReadable();
      continue;
    }
    if (item === END) return;
    if (socket.destroyed || socket.writableEnded) continue;

    count(item.data.length);
    if (!socket.write(item.data)) await drainedOrClosed(socket);
  }
}

function drainedOrClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  // libuv refuses an RST once a FIN was queued, and Node then never closes the handle.
  if (socket.writableEnded) socket.destroy();
  else socket.resetAndDestroy();
}

function socketClosed(socket: Socket): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}
