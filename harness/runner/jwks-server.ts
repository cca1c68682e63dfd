import { once } from 'node:events';
import { createPublicKey } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Path the key set is served on; any other path gets 404. */
export const JWKS_PATH = '/jwks.json';

/** A loopback HTTP server that serves one RSA public key as a JSON Web Key Set. */
export interface JwksServer {
  host: string;
  port: number;
  /** Requests for the key set so far. */
  requests(): number;
  /** Closes the server and every open connection. */
  stop(): Promise<void>;
}

/**
 * Serves `publicKeyPem` (an RSA public key) on 127.0.0.1 at `JWKS_PATH` as a key set with one
 * key (`alg` RS256, `use` sig, no `kid`, so a verifier matches it by key type).
 */
export async function startJwksServer(publicKeyPem: string): Promise<JwksServer> {
  const jwk = { ...createPublicKey({ key: publicKeyPem, format: 'pem' }).export({ format: 'jwk' }), alg: 'RS256', use: 'sig' };
  const body = JSON.stringify({ keys: [jwk] });
  let requests = 0;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== JWKS_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    requests += 1;
    res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'no-store' }).end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    requests: () => requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
