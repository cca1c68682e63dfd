/**
 * The named proxies of one server. It guards name uniqueness and implements `/populate`'s
 * create-or-replace rule: an existing proxy with the same `listen` and `upstream` is kept.
 */
import type { Logger } from 'pino';

import { apiErrors } from './errors.ts';
import { Proxy } from './proxy.ts';
import type { StubContext } from './toxic-stub.ts';

/** A proxy definition from a create or populate body. */
export interface ProxyDefinition {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

export class ProxyCollection {
  readonly #proxies = new Map<string, Proxy>();
  readonly #logger: Logger;
  readonly #context: StubContext;

  constructor(logger: Logger, context: StubContext) {
    this.#logger = logger;
    this.#context = context;
  }

  /** Returns all proxies sorted by name, as Go sorts map keys in JSON. */
  list(): Proxy[] {
    return [...this.#proxies.values()].sort((a, b) => compareNames(a.name, b.name));
  }

  get(name: string): Proxy {
    const proxy = this.#proxies.get(name);
    if (proxy === undefined) throw apiErrors.proxyNotFound();
    return proxy;
  }

  /** Creates a proxy; starts it first when enabled, so a failed listen adds nothing. */
  async add(definition: ProxyDefinition): Promise<Proxy> {
    if (this.#proxies.has(definition.name)) throw apiErrors.proxyAlreadyExists();
    const proxy = this.#create(definition);
    if (definition.enabled) await proxy.start();
    this.#proxies.set(proxy.name, proxy);
    return proxy;
  }

  /** Keeps an existing proxy with the same addresses, otherwise replaces it. */
  async addOrReplace(definition: ProxyDefinition): Promise<Proxy> {
    const existing = this.#proxies.get(definition.name);
    if (existing !== undefined) {
      const same =
        existing.listen === definition.listen && existing.upstream === definition.upstream;
      if (same) return existing;
      await existing.stop();
    }

    const proxy = this.#create(definition);
    if (definition.enabled) await proxy.start();
    this.#proxies.set(proxy.name, proxy);
    return proxy;
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    await proxy.stop();
    this.#proxies.delete(name);
  }

  /** Stops and removes every proxy. */
  async clear(): Promise<void> {
    const proxies = [...this.#proxies.values()];
    this.#proxies.clear();
    await Promise.all(proxies.map((proxy) => proxy.stop()));
  }

  #create(definition: ProxyDefinition): Proxy {
    return new Proxy({
      name: definition.name,
      listen: definition.listen,
      upstream: definition.upstream,
      logger: this.#logger,
      context: this.#context,
    });
  }
}

/** Byte-wise order, as Go compares strings. */
function compareNames(a: string, b: string): number {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return Buffer.compare(left, right);
}
