import net from 'node:net';

/**
 * Returns a TCP port that was free on `host` a moment ago: the OS picks it for a listener that
 * is closed at once.
 * NOTE: another process can take the port before the caller binds it; the caller's bind then
 * fails with EADDRINUSE and reports it.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        if (port > 0) resolve(port);
        else reject(new Error(`the OS assigned no port on ${host}`));
      });
    });
  });
}
