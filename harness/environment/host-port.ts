/** Host and port of a `host:port` or `[ipv6]:port` address. */
export interface HostPort {
  host: string;
  port: number;
}

/** Splits `host:port` or `[ipv6]:port`; throws an `Error` naming the address when it has no port. */
export function splitHostPort(address: string): HostPort {
  const match = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(address);
  if (match === null) throw new Error(`'${address}' is not a host:port address`);
  return { host: match[1] ?? match[2] ?? '', port: Number(match[3]) };
}

/** Formats `host:port`, with brackets around an IPv6 host. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Checks whether `host` is empty or a wildcard address, which a client cannot connect to as is. */
export function isWildcardHost(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::';
}

/** Checks whether `host` names this machine's loopback interface. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
