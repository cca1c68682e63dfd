import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildUpgradeRequest } from './raw-request.ts';
import { sendAndReset } from './raw-upgrade.ts';

const servers: net.Server[] = [];

async function startServer(onSocket: (socket: net.Socket) => void) {
  const server = net.createServer(onSocket);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/ws' };
}

afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe('sendAndReset', () => {
  it('resets the socket after the request', async () => {
    let received = '';
    let serverError: string | null = null;
    let markClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => {
      markClosed = resolve;
    });
    const endpoint = await startServer((socket) => {
      socket.on('data', (chunk) => {
        received += chunk.toString();
      });
      socket.on('error', (err: NodeJS.ErrnoException) => {
        serverError = err.code ?? err.message;
      });
      socket.on('close', () => markClosed());
    });
    const request = buildUpgradeRequest(endpoint, 'a.b.c', 'authorization-header', 'access_token');
    const result = await sendAndReset(endpoint, request, 50, 2_000);
    await closed;

    expect(result).toEqual({ sent: true, responseBeforeReset: null, error: null });
    expect(received).toBe(request);
    expect(serverError).toBe('ECONNRESET');
  });

  it('records a response before the reset', async () => {
    const endpoint = await startServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.write('HTTP/1.1 503 Service Unavailable\r\n\r\n'));
    });
    const request = buildUpgradeRequest(endpoint, 'a.b.c', 'authorization-header', 'access_token');
    const result = await sendAndReset(endpoint, request, 300, 2_000);

    expect(result.responseBeforeReset).toBe('HTTP/1.1 503 Service Unavailable');
  });
});

describe('buildUpgradeRequest', () => {
  const endpoint = { host: '127.0.0.1', port: 9000, path: '/ws?channel=lobby' };

  it('puts the token in the Authorization header', () => {
    const request = buildUpgradeRequest(endpoint, 'a.b.c', 'authorization-header', 'access_token');

    expect(request).toMatch(/^GET \/ws\?channel=lobby HTTP\/1\.1\r\n/);
    expect(request).toContain('\r\nAuthorization: Bearer a.b.c\r\n');
    expect(request).toMatch(/\r\nSec-WebSocket-Key: [A-Za-z0-9+/]{22}==\r\n/);
    expect(request.endsWith('\r\n\r\n')).toBe(true);
  });

  it('puts the token in the query', () => {
    const request = buildUpgradeRequest(endpoint, 'a.b.c', 'query', 'access_token');

    expect(request).toMatch(/^GET \/ws\?channel=lobby&access_token=a\.b\.c HTTP\/1\.1\r\n/);
  });

  it('puts the token in the subprotocol list', () => {
    expect(buildUpgradeRequest(endpoint, 'a.b.c', 'subprotocol', 'access_token')).toContain('\r\nSec-WebSocket-Protocol: bearer, a.b.c\r\n');
  });
});
