/**
 * One proxy: a TCP listener on `listen` that opens a connection to `upstream` for each client
 * and joins the two through the proxy's toxics. Disabling closes the listener and every open
 * connection; enabling listens again on the same address.
 */
import { type AddressInfo, createServer, connect, type Server, type Socket } from 'node:net';

import type { Logger } from 'pino';

import { ProxyAlreadyStartedError } from './errors.ts';
import {
  formatAddress,
  resolveListenAddress,
  splitHostPort,
  toListenError,
} from './listen-address.ts';
import { ProxyLink } from './proxy-link.ts';
import { ToxicCollection } from './toxic-collection.ts';
import type { StubContext } from './toxic-stub.ts';

/** Traffic through one proxy since it was created. */
export interface ProxyCounters {
  bytesUpstream: number;
  bytesDownstream: number;
  /** Client connections accepted. */
  connections: number;
  /** Client connections open right now. */
  activeConnections: number;
}

/** The fields `POST /proxies/{proxy}` may change. */
export interface ProxyUpdate {
  listen: string;
  upstream: string;
  enabled: boolean;
}

export interface ProxyOptions {
  name: string;
  listen: string;
  upstream: string;
  logger: Logger;
  context: StubContext;
}

export class Proxy {
  readonly name: string;
  listen: string;
  upstream: string;
  enabled = false;
  readonly toxics: ToxicCollection;
  readonly counters: ProxyCounters = {
    bytesUpstream: 0,
    bytesDownstream: 0,
    connections: 0,
    activeConnections: 0,
  };
  readonly #logger: Logger;
  readonly #context: StubContext;
  #server: Server | undefined;
  readonly #links = new Set<ProxyLink>();
  readonly #pendingClients = new Set<Socket>();

  constructor(options: ProxyOptions) {
    this.name = options.name;
    this.listen = options.listen;
    this.upstream = options.upstream;
    this.#logger = options.logger.child({ proxy: options.name });
    this.#context = options.context;
    this.toxics = new ToxicCollection(this.#logger);
  }

  /** Listens on `listen`; a port of 0 is replaced by the port the system picked. */
  async start(): Promise<void> {
    if (this.enabled) throw new ProxyAlreadyStartedError(this.name);

    const bind = await resolveListenAddress(this.listen);
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
    server.on('connection', (client) => this.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(toListenError(this.listen, error)));
      server.listen({ host: bind.ip, port: bind.port }, () => resolve());
    });
    server.on('error', (error) => this.#logger.warn({ err: error }, 'proxy listener error'));

    const address = server.address() as AddressInfo;
    this.listen = formatAddress(address.address, address.port);
    this.#server = server;
    this.enabled = true;
    this.#logger.info({ listen: this.listen, upstream: this.upstream }, 'proxy started');
  }

  /** Closes the listener and every connection; resolves once all of them are closed. */
  async stop(): Promise<void> {
    if (!this.enabled) return;
    this.enabled = false;

    const server = this.#server;
    this.#server = undefined;
    const listenerClosed = new Promise<void>((resolve) => server?.close(() => resolve()));
    for (const client of this.#pendingClients) client.destroy();
    const links = [...this.#links];
    for (const link of links) link.destroy();

    await Promise.all([listenerClosed, ...links.map((link) => link.closed)]);
    this.#logger.info({ listen: this.listen, upstream: this.upstream }, 'proxy stopped');
  }

  /** Applies an update the way Toxiproxy does: an address change restarts the listener. */
  async update(input: ProxyUpdate): Promise<void> {
    if (input.listen !== this.listen || input.upstream !== this.upstream) {
      await this.stop();
      this.listen = input.listen;
      this.upstream = input.upstream;
    }
    if (input.enabled === this.enabled) return;
    if (input.enabled) await this.start();
    else await this.stop();
  }

  #accept(client: Socket): void {
    this.counters.connections += 1;
    this.counters.activeConnections += 1;
    client.once('close', () => {
      this.counters.activeConnections -= 1;
    });
    client.on('error', (error) => this.#logger.debug({ err: error }, 'client socket error'));
    client.setNoDelay(true);
    const peer = { client: client.remoteAddress, upstream: this.upstream };
    this.#logger.debug(peer, 'client accepted');

    const target = splitHostPort(this.upstream);
    if (typeof target === 'string') {
      this.#logger.warn({ upstream: this.upstream, reason: target }, 'upstream address invalid');
      client.destroy();
      return;
    }
    this.#pendingClients.add(client);
    const upstream = connect({ host: target.host, port: Number(target.port), allowHalfOpen: true });
    upstream.setNoDelay(true);
    let failure: Error | undefined;
    upstream.on('error', (error) => {
      failure = error;
      this.#logger.debug({ err: error }, 'upstream socket error');
    });
    client.once('close', () => {
      if (this.#pendingClients.delete(client)) upstream.destroy();
    });

    upstream.once('connect', () => this.#link(client, upstream));
    upstream.once('close', () => {
      if (!this.#pendingClients.delete(client)) return;
      this.#logger.warn({ err: failure, upstream: this.upstream }, 'upstream connection failed');
      client.destroy();
    });
  }

  #link(client: Socket, upstream: Socket): void {
    this.#pendingClients.delete(client);
    if (client.destroyed) {
      upstream.destroy();
      return;
    }
    const link = new ProxyLink({
      client,
      upstream,
      chain: (direction) => this.toxics.chain(direction),
      context: this.#context,
      counters: this.counters,
      logger: this.#logger,
    });
    this.#links.add(link);
    this.toxics.addLink(link);
    void link.closed.then(() => {
      this.#links.delete(link);
      this.toxics.removeLink(link);
    });
    link.start();
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      listen: this.listen,
      upstream: this.upstream,
      enabled: this.enabled,
      toxics: this.toxics.toJSON(),
    };
  }
}
