import { createConnection, createServer, type Server, type Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { EnvironmentError, HarnessError } from '../errors.ts';
import type { EnvironmentOptions, StartedToxiproxy } from '../model/environment.ts';
import { startToxiproxyServer } from '../proxy/toxiproxy-server.ts';
import { findFreePort } from './free-port.ts';
import { createRecordingLogger, runCleanups } from './test-helpers.ts';
import { startToxiproxy } from './toxiproxy.ts';

const REPLY_TIMEOUT_MS = 5_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(() => runCleanups(cleanups));

function options(env: NodeJS.ProcessEnv): EnvironmentOptions {
  return { logger: createRecordingLogger().logger, env, workDir: '/nonexistent', random: () => 0.5 };
}

async function start(env: NodeJS.ProcessEnv): Promise<StartedToxiproxy> {
  const toxiproxy = await startToxiproxy(options(env));
  cleanups.push(() => toxiproxy.stop());
  return toxiproxy;
}

/** Starts a TCP server on 127.0.0.1 that writes back every chunk it reads. */
async function startEchoServer(): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('echo server has no port');
  return `127.0.0.1:${address.port}`;
}

/** Sends `text` to host:port and resolves with what comes back, or rejects on error or close. */
function echo(host: string, port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no echo from ${host}:${port} within ${REPLY_TIMEOUT_MS} ms`));
    }, REPLY_TIMEOUT_MS);
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data.toString());
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      reject(new Error('connection closed before the echo'));
    });
    socket.write(text);
  });
}

async function expectEnvironmentError(promise: Promise<unknown>): Promise<EnvironmentError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(EnvironmentError);
  return error as EnvironmentError;
}

describe('startToxiproxy', () => {
  it('starts the built-in server and controls a proxy', async () => {
    const upstream = await startEchoServer();
    const toxiproxy = await start({ WUC_TOXIPROXY: 'builtin' });

    const proxy = await toxiproxy.createProxy('echo', upstream);

    expect(toxiproxy.kind).toBe('builtin');
    expect(toxiproxy.version).toBe('2.12.0');
    expect(proxy.listenHost).toBe('127.0.0.1');
    expect(await echo(proxy.listenHost, proxy.listenPort, 'ping')).toBe('ping');
    expect(await proxy.stats()).toMatchObject({ bytesUpstream: 4, bytesDownstream: 4, connections: 1 });

    await proxy.setEnabled(false);
    await expect(echo(proxy.listenHost, proxy.listenPort, 'ping')).rejects.toThrow();
    await proxy.addToxic({ name: 'slow', type: 'latency', attributes: { latency: 10 } });
    await proxy.reset();
    expect(await echo(proxy.listenHost, proxy.listenPort, 'pong')).toBe('pong');
  });

  it('replaces a built-in proxy of the same name', async () => {
    const first = await startEchoServer();
    const second = await startEchoServer();
    const toxiproxy = await start({ WUC_TOXIPROXY: 'builtin' });

    await toxiproxy.createProxy('echo', first);
    const proxy = await toxiproxy.createProxy('echo', second);

    const api = await fetch(`${toxiproxy.apiUrl}/proxies/echo`);
    expect(await api.json()).toMatchObject({ upstream: second });
    expect(await echo(proxy.listenHost, proxy.listenPort, 'again')).toBe('again');
  });

  it('names the docker backend without an engine', async () => {
    const error = await expectEnvironmentError(startToxiproxy(options({ WUC_TOXIPROXY: 'docker' })));

    expect(error.code).toBe('WUC_ERR_ENV_TOXIPROXY_UNAVAILABLE');
    expect(error.attempts.map((attempt) => attempt.backend)).toEqual(['docker']);
    expect(error.message).toContain('WUC_TOXIPROXY=docker');
    expect(error.message).toContain('Could not find a working container runtime strategy');
  });

  it('stops at an unreachable TOXIPROXY_URL', async () => {
    const url = `http://127.0.0.1:${await findFreePort()}`;

    const error = await expectEnvironmentError(startToxiproxy(options({ TOXIPROXY_URL: url })));

    expect(error.code).toBe('WUC_ERR_ENV_TOXIPROXY_UNAVAILABLE');
    expect(error.attempts.map((attempt) => attempt.backend)).toEqual(['url (TOXIPROXY_URL)']);
    expect(error.message).toContain(`TOXIPROXY_URL ${url} did not respond to GET /version`);
    expect(error.message).toContain('Set TOXIPROXY_URL to a running Toxiproxy. Backends tried:');
    expect(error.message).not.toContain('Docker');
    expect(error.message).not.toContain('built-in');
  });

  it('rejects TOXIPROXY_URL=notaurl as a usage error', async () => {
    const error = await startToxiproxy(options({ TOXIPROXY_URL: 'notaurl' })).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('WUC_ERR_USAGE_INVALID_ENV');
    expect((error as HarnessError).exitCode).toBe(2);
    expect((error as Error).message).toContain("TOXIPROXY_URL 'notaurl' is invalid");
    expect((error as Error).message).toContain('Set it to the form http://host:port');
  });

  it('gives advice only for the forced proxy backend', async () => {
    const error = await expectEnvironmentError(startToxiproxy(options({ WUC_TOXIPROXY: 'docker' })));

    expect(error.message).toContain('Start a Docker engine. Or unset WUC_TOXIPROXY to let the harness choose.');
    expect(error.message).not.toContain('TOXIPROXY_URL');
    expect(error.message).not.toContain('built-in');
  });

  it('uses a Toxiproxy at TOXIPROXY_URL', async () => {
    const upstream = await startEchoServer();
    const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => server.stop());
    const toxiproxy = await startToxiproxy(options({ TOXIPROXY_URL: server.url }));

    const proxy = await toxiproxy.createProxy('echo', upstream);
    const stats = await proxy.stats();
    const echoed = await echo(proxy.listenHost, proxy.listenPort, 'hello');
    await toxiproxy.stop();
    const afterStop = await fetch(`${server.url}/proxies/echo`);

    expect(toxiproxy.kind).toBe('url');
    expect(stats).toBeNull();
    expect(echoed).toBe('hello');
    expect(afterStop.status).toBe(404);
  });

  it('keeps an existing proxy at TOXIPROXY_URL', async () => {
    const upstream = await startEchoServer();
    const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => server.stop());
    const listenPort = await findFreePort();
    await fetch(`${server.url}/proxies`, {
      method: 'POST',
      body: JSON.stringify({ name: 'echo', listen: `0.0.0.0:${listenPort}`, upstream }),
    });
    const toxiproxy = await startToxiproxy(options({ TOXIPROXY_URL: server.url }));

    const proxy = await toxiproxy.createProxy('echo', '127.0.0.1:9');
    await toxiproxy.stop();
    const afterStop = await fetch(`${server.url}/proxies/echo`);

    expect(proxy.listenHost).toBe('127.0.0.1');
    expect(proxy.listenPort).toBe(listenPort);
    expect(afterStop.status).toBe(200);
    expect(await afterStop.json()).toMatchObject({ upstream });
  });
});
