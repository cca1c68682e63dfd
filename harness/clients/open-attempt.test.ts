import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openAttempt, type AttemptOptions } from './open-attempt.ts';

/**
 * An HTTP server whose upgrade handler either never answers or answers 503 at once. `endedAt`
 * gets the time the server saw each client end its upgrade socket. The server's sockets allow
 * half-open connections, so the server destroys its side there.
 */
async function startServer(answer: boolean) {
  const endedAt: number[] = [];
  const server = http.createServer();
  server.on('upgrade', (_req, socket) => {
    socket.on('error', () => undefined);
    socket.on('end', () => {
      endedAt.push(performance.now());
      socket.destroy();
    });
    if (answer) socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}/ws`, endedAt };
}

function options(url: string, abortAfterMs: number): AttemptOptions {
  return {
    url,
    token: 'token',
    transport: 'authorization-header',
    tokenParameter: 'access_token',
    identity: null,
    timeoutMs: 10_000,
    holdMs: 0,
    lifetimeMs: 15_000,
    abortAfterMs,
  };
}

describe('openAttempt abortAfterMs', () => {
  it('destroys the socket before a response', async () => {
    const { url, endedAt } = await startServer(false);
    const startedAt = performance.now();

    const seen = await openAttempt(options(url, 300));

    expect(seen.aborted).toBe(true);
    expect(seen.hung).toBe(false);
    expect(seen.status).toBeNull();
    expect(seen.error).toBeNull();
    // Generous bounds for a loaded machine: the abort comes after 300 ms, far before the 10 s timeout.
    expect(seen.endedAt - startedAt).toBeGreaterThanOrEqual(300);
    expect(seen.endedAt - startedAt).toBeLessThan(5_000);
    await expect.poll(() => endedAt.length, { timeout: 5_000 }).toBe(1);
  });

  it('keeps a response that came first', async () => {
    const { url } = await startServer(true);

    const seen = await openAttempt(options(url, 2_000));

    expect(seen.aborted).toBe(false);
    expect(seen.status).toBe(503);
  });
});
