import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { runHandshakeFuzz } from './handshake-fuzz.ts';

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();

/** Starts a loopback TCP server that handles each connection with `onSocket`. */
async function startServer(onSocket: (socket: net.Socket) => void) {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/ws' };
}

function answerWith(statusLine: string) {
  return (socket: net.Socket) => socket.once('data', () => socket.end(`${statusLine}\r\nContent-Length: 0\r\n\r\n`));
}

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe('runHandshakeFuzz', () => {
  it('passes 4xx responses', async () => {
    const endpoint = await startServer(answerWith('HTTP/1.1 400 Bad Request'));
    const result = await runHandshakeFuzz({ action: 'handshake-fuzz', count: 40, seed: 1 }, endpoint, ['a.b.c']);

    expect(result.findings).toEqual([]);
    expect(result.counts.rejected).toBe(40);
    expect(result.summary).toBe('40 requests (seed 1): 40 rejected with 4xx, 0 closed');
  });

  it('passes closed sockets', async () => {
    const endpoint = await startServer((socket) => socket.destroy());
    const result = await runHandshakeFuzz({ action: 'handshake-fuzz', count: 10, seed: 1 }, endpoint, ['a.b.c']);

    expect(result.findings).toEqual([]);
    expect(result.counts.closed).toBe(10);
  });

  it('reports 5xx responses with their kinds', async () => {
    const endpoint = await startServer(answerWith('HTTP/1.1 500 Internal Server Error'));
    const result = await runHandshakeFuzz({ action: 'handshake-fuzz', count: 20, seed: 3 }, endpoint, ['a.b.c']);
    const [finding, ...rest] = result.findings;

    expect(rest).toEqual([]);
    expect(finding?.code).toBe('wrong-status');
    expect(finding?.message).toMatch(/^20 of 20 malformed upgrade requests \(seed 3\) got a 5xx instead of a 4xx; kinds: [a-z-]+ × \d+/);
    expect(finding?.evidence).toHaveLength(5);
    expect(finding?.evidence?.[0]).toMatch(/^request #0 \([a-z-]+, \d+ bytes\): HTTP\/1\.1 500 Internal Server Error$/);
  });

  it('reports an accepted request', async () => {
    const endpoint = await startServer(answerWith('HTTP/1.1 101 Switching Protocols'));
    const result = await runHandshakeFuzz({ action: 'handshake-fuzz', count: 2, seed: 1 }, endpoint, ['a.b.c']);

    expect(result.findings.map((finding) => finding.code)).toEqual(['unexpected-accept']);
  });

  it('reports requests left unanswered', async () => {
    const endpoint = await startServer(() => undefined);
    const step = { action: 'handshake-fuzz', count: 4, seed: 1, concurrency: 4, timeoutMs: 200 } as const;
    const result = await runHandshakeFuzz(step, endpoint, ['a.b.c']);

    expect(result.findings.map((finding) => finding.code)).toEqual(['hung-upgrade']);
    expect(result.counts.hung).toBe(4);
  });

  it.each([
    [{ count: 0 }, 'count 0 is invalid'],
    [{ count: 20_000 }, 'count 20000 is invalid'],
    [{ concurrency: 0 }, 'concurrency 0 is invalid'],
    [{ timeoutMs: 10 }, 'timeoutMs 10 is invalid'],
  ])('rejects the step %j', async (override, message) => {
    const step = { action: 'handshake-fuzz' as const, count: 10, seed: 1, ...override };
    const run = runHandshakeFuzz(step, { host: '127.0.0.1', port: 1, path: '/ws' }, []);

    await expect(run).rejects.toThrow(HarnessError);
    await expect(run).rejects.toThrow(message);
  });

  it('rejects a target that is not on loopback', async () => {
    const run = runHandshakeFuzz({ action: 'handshake-fuzz', count: 1, seed: 1 }, { host: '192.0.2.1', port: 80, path: '/ws' }, []);

    await expect(run).rejects.toThrow('target host 192.0.2.1 is not a loopback address');
  });
});
