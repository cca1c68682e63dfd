import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { HarnessError, ToxiproxyApiError } from '../errors.ts';
import { startToxiproxyServer } from '../proxy/toxiproxy-server.ts';
import { runCleanups } from './test-helpers.ts';
import { ToxiproxyControl } from './toxiproxy-control.ts';
import { findFreePort } from './free-port.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(() => runCleanups(cleanups));

async function startServer(): Promise<ToxiproxyControl> {
  const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => server.stop());
  return new ToxiproxyControl(server.url);
}

async function rejectionOf(promise: Promise<unknown>): Promise<ToxiproxyApiError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(ToxiproxyApiError);
  return error as ToxiproxyApiError;
}

describe('ToxiproxyControl', () => {
  it('reads the version string', async () => {
    const api = await startServer();

    expect(await api.version()).toBe('2.12.0');
  });

  it('restores status and body of a duplicate proxy', async () => {
    const api = await startServer();
    const port = await findFreePort();
    const body = { name: 'db', listen: '127.0.0.1:0', upstream: `127.0.0.1:${port}` };
    await api.createProxy(body);

    const error = await rejectionOf(api.createProxy(body));

    expect(error.code).toBe('WUC_ERR_TOXIPROXY_API');
    expect(error.status).toBe(409);
    expect(error.body).toEqual({ error: 'proxy already exists', status: 409 });
    expect(error.message).toBe(`Toxiproxy API POST ${api.apiUrl}/proxies returned 409: proxy already exists`);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.exitCode).toBe(3);
  });

  it('restores 404 for a toxic on a missing proxy', async () => {
    const api = await startServer();

    const error = await rejectionOf(
      api.addToxic('missing', { name: 'slow', type: 'latency', attributes: { latency: 100 } }),
    );

    expect(error.status).toBe(404);
    expect(error.body).toEqual({ error: 'proxy not found', status: 404 });
    expect(error.message).toContain('POST');
    expect(error.message).toContain('/proxies/missing/toxics returned 404: proxy not found');
  });

  it('restores 404 for a missing toxic', async () => {
    const api = await startServer();
    await api.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });

    const error = await rejectionOf(api.removeToxic('db', 'absent'));

    expect(error.status).toBe(404);
    expect(error.body).toEqual({ error: 'toxic not found', status: 404 });
  });

  it('adds, lists and removes a toxic', async () => {
    const api = await startServer();
    await api.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });

    const toxic = { name: 'slow', type: 'latency', stream: 'upstream', attributes: { latency: 50 } } as const;
    await api.addToxic('db', toxic);
    const withToxic = await api.getProxy('db');
    await api.removeToxic('db', 'slow');
    const withoutToxic = await api.getProxy('db');

    expect(withToxic.toxics).toMatchObject([{ ...toxic, toxicity: 1 }]);
    expect(withoutToxic.toxics).toEqual([]);
  });

  it('gives status 0 without a response', async () => {
    const port = await findFreePort();
    const api = new ToxiproxyControl(`http://127.0.0.1:${port}`);

    const error = await rejectionOf(api.version());

    expect(error.status).toBe(0);
    expect(error.body).toBeNull();
    expect(error.message).toContain(`GET http://127.0.0.1:${port}/version failed`);
    expect(error.message).toContain(`check that a Toxiproxy API responds at http://127.0.0.1:${port}`);
  });

  it('masks the password in messages', async () => {
    const port = await findFreePort();
    const api = new ToxiproxyControl(`http://admin:pw123@127.0.0.1:${port}`);

    const error = await rejectionOf(api.version());

    expect(error.message).not.toContain('pw123');
    expect(error.message).toContain(`GET http://admin:***@127.0.0.1:${port}/version failed`);
  });

  it('finds and deletes proxies by name', async () => {
    const api = await startServer();
    await api.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });

    expect((await api.findProxy('db'))?.upstream).toBe('127.0.0.1:9');
    await api.deleteProxyIfPresent('db');
    await api.deleteProxyIfPresent('db');
    expect(await api.findProxy('db')).toBeUndefined();
  });

  it('times out on a silent server', async () => {
    const url = await startSilentServer();
    const api = new ToxiproxyControl(url, { requestTimeoutMs: 300 });
    const startedAt = performance.now();

    const error = await api.getProxy('postgres').then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect(error).toBeInstanceOf(HarnessError);
    expect(error).not.toBeInstanceOf(ToxiproxyApiError);
    expect((error as HarnessError).code).toBe('WUC_ERR_TOXIPROXY_TIMEOUT');
    expect((error as HarnessError).exitCode).toBe(3);
    expect((error as Error).message).toBe(
      `Toxiproxy API GET ${url}/proxies/postgres got no response within 300 ms, ` +
        `so the proxy at ${url} is not responding; restart it or point TOXIPROXY_URL at one that responds`,
    );
    // Well under the client's own 300 s header timeout, with room for a loaded machine.
    expect(performance.now() - startedAt).toBeLessThan(10_000);
  });
});

/** Starts a loopback HTTP server that accepts requests and never responds. */
async function startSilentServer(): Promise<string> {
  const server: Server = createServer(() => {
    // The request is left open on purpose.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}
