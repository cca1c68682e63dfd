import net from 'node:net';

/**
 * Returns a TCP port that was free on `host` a moment ago: the OS picks it for a listener that
 * is closed at once.
 * NOTE: another process can take the port before the target binds it; the target then fails
 * to start and the harness reports that.
 */
export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`no port was assigned on ${host}`))));
    });
  });
}
