/**
 * Splitting, resolving and printing `host:port` addresses the way Go's `net` package does, since
 * Toxiproxy reports listen addresses and listen errors in Go's format (`127.0.0.1:40123`,
 * `[::]:8474`, `listen tcp 127.0.0.1: address 127.0.0.1: missing port in address`).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

import { ProxyListenError } from './errors.ts';

export interface HostPort {
  host: string;
  port: string;
}

/** A bind address: the IP to pass to `listen()` and the port (0 picks a free one). */
export interface BindAddress {
  ip: string;
  port: number;
}

/** Splits `host:port` like Go's `net.SplitHostPort`; returns an error message on failure. */
export function splitHostPort(address: string): HostPort | string {
  const fail = (reason: string) => `address ${address}: ${reason}`;
  const colon = address.lastIndexOf(':');
  if (colon < 0) return fail('missing port in address');

  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) return fail("missing ']' in address");
    if (close + 1 === address.length) return fail('missing port in address');
    if (close + 1 !== colon) {
      const afterBracket = address[close + 1];
      return fail(afterBracket === ':' ? 'too many colons in address' : 'missing port in address');
    }
    return { host: address.slice(1, close), port: address.slice(colon + 1) };
  }

  const host = address.slice(0, colon);
  if (host.includes(':')) return fail('too many colons in address');
  if (host.includes('[')) return fail("unexpected '[' in address");
  if (host.includes(']')) return fail("unexpected ']' in address");
  return { host, port: address.slice(colon + 1) };
}

/** Formats an IP and port as Go prints a `*net.TCPAddr`. */
export function formatAddress(ip: string, port: number): string {
  return isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * Resolves a proxy's `listen` field to the address to bind. Go binds an empty or wildcard IPv4
 * host to the dual-stack `[::]`, and a host name to its first IPv4 address when it has one.
 */
export async function resolveListenAddress(listen: string): Promise<BindAddress> {
  const listenError = (reason: string) =>
    new ProxyListenError(`listen tcp ${listen}: ${reason}`, listen);

  const parts = splitHostPort(listen);
  if (typeof parts === 'string') throw listenError(parts);

  const port = parsePort(parts.port);
  if (port === undefined) throw listenError(`address ${parts.port}: invalid port`);

  if (parts.host === '' || parts.host === '0.0.0.0' || parts.host === '::') {
    return { ip: '::', port };
  }
  if (isIP(parts.host) !== 0) return { ip: parts.host, port };

  try {
    const addresses = await lookup(parts.host, { all: true });
    const preferred = addresses.find((entry) => entry.family === 4) ?? addresses[0];
    if (preferred === undefined) throw new Error('no addresses');
    return { ip: preferred.address, port };
  } catch (error) {
    throw new ProxyListenError(`listen tcp: lookup ${parts.host}: no such host`, listen, {
      cause: error,
    });
  }
}

function parsePort(text: string): number | undefined {
  if (text === '') return 0;
  if (!/^[0-9]+$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

/** Go's `bind:` wording for the listen errors Node reports by errno code. */
const BIND_REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'bind: address already in use',
  EACCES: 'bind: permission denied',
  EADDRNOTAVAIL: 'bind: cannot assign requested address',
};

/** Wraps a failed `listen()` into Go's `listen tcp <addr>: bind: ...` message. */
export function toListenError(listen: string, error: unknown): ProxyListenError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const reason = BIND_REASONS[code] ?? (error instanceof Error ? error.message : String(error));
  return new ProxyListenError(`listen tcp ${listen}: ${reason}`, listen, { cause: error });
}
