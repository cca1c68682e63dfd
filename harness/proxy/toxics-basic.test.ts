/**
 * Conformance of the latency, timeout and reset_peer toxics, driven only through
 * `toxiproxy-node-client` and real sockets. Margins are wide on the slow side because a loaded
 * 2-core machine delays timers; lower bounds are tight because a toxic must never be early.
 */
import type { Proxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createTestProxy,
  measureEchoMs,
  portOf,
  startEchoServer,
  startToxiproxyUnderTest,
  TestClient,
  type ToxiproxyUnderTest,
  withDeadline,
} from './conformance-fixture.ts';

const SLACK_MS = 1500;
const PAYLOAD = Buffer.from('hello');

let subject: ToxiproxyUnderTest;

beforeAll(async () => {
  subject = await startToxiproxyUnderTest();
});

afterAll(async () => {
  await subject.builtin?.stop();
});

async function proxyWithToxic(
  type: string,
  stream: 'upstream' | 'downstream',
  attributes: Record<string, number>,
): Promise<{ proxy: Proxy; port: number; echo: Awaited<ReturnType<typeof startEchoServer>> }> {
  const echo = await startEchoServer();
  const proxy = await createTestProxy(subject, echo.port);
  await proxy.addToxic({ name: `${type}_toxic`, type, stream, toxicity: 1, attributes } as never);
  return { proxy, port: portOf(proxy.listen), echo };
}

async function connected(client: TestClient): Promise<void> {
  await withDeadline(
    new Promise<void>((resolve) => client.socket.once('connect', () => resolve())),
    SLACK_MS,
    'the proxy to accept the client',
  );
}

describe('latency toxic', () => {
  it('delays the echo by the latency', async () => {
    const { port } = await proxyWithToxic('latency', 'downstream', { latency: 300 });

    const elapsedMs = await measureEchoMs(port, PAYLOAD, 300 + SLACK_MS);

    expect(elapsedMs).toBeGreaterThanOrEqual(295);
    expect(elapsedMs).toBeLessThan(300 + SLACK_MS);
  });

  it('stays within latency plus or minus jitter', async () => {
    const { port } = await proxyWithToxic('latency', 'downstream', { latency: 200, jitter: 100 });

    const samples: number[] = [];
    for (let index = 0; index < 8; index += 1) {
      samples.push(await measureEchoMs(port, PAYLOAD, 300 + SLACK_MS));
    }

    for (const sample of samples) {
      expect(sample).toBeGreaterThanOrEqual(95);
      expect(sample).toBeLessThan(300 + SLACK_MS);
    }
    expect(Math.max(...samples) - Math.min(...samples)).toBeGreaterThan(10);
  });

  it('applies to a connection opened before it was added', async () => {
    const echo = await startEchoServer();
    const proxy = await createTestProxy(subject, echo.port);
    const client = new TestClient(portOf(proxy.listen));
    await connected(client);
    client.socket.write(PAYLOAD);
    await client.waitForBytes(PAYLOAD.length, SLACK_MS);

    const toxic = { name: 'late', type: 'latency', stream: 'upstream', toxicity: 1 };
    await proxy.addToxic({ ...toxic, attributes: { latency: 300 } } as never);
    const startedMs = performance.now();
    client.socket.write(PAYLOAD);
    await client.waitForBytes(PAYLOAD.length * 2, 300 + SLACK_MS);

    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(295);
  });

  it('stops delaying once removed', async () => {
    const { proxy, port } = await proxyWithToxic('latency', 'downstream', { latency: 2000 });
    await (await proxy.getToxic('latency_toxic')).remove();

    const elapsedMs = await measureEchoMs(port, PAYLOAD, SLACK_MS);

    expect(elapsedMs).toBeLessThan(1000);
  });
});

describe('timeout toxic', () => {
  it('drops data and closes after the timeout', async () => {
    const { port } = await proxyWithToxic('timeout', 'downstream', { timeout: 300 });
    const client = new TestClient(port);
    await connected(client);
    client.socket.write(PAYLOAD);

    const outcome = await client.waitForClose(300 + SLACK_MS);

    expect(outcome.received.length).toBe(0);
    expect(outcome.errorCode).toBeUndefined();
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(295);
  });

  it('holds the connection with timeout 0 until removed', async () => {
    const { proxy, port } = await proxyWithToxic('timeout', 'downstream', { timeout: 0 });
    const client = new TestClient(port);
    await connected(client);
    client.socket.write(PAYLOAD);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(client.receivedBytes).toBe(0);
    expect(client.socket.closed).toBe(false);

    await (await proxy.getToxic('timeout_toxic')).remove();
    const outcome = await client.waitForClose(SLACK_MS);

    expect(outcome.received.length).toBe(0);
  });

  it('upstream stream keeps data from the server', async () => {
    const { port, echo } = await proxyWithToxic('timeout', 'upstream', { timeout: 0 });
    const client = new TestClient(port);
    await connected(client);
    client.socket.write(PAYLOAD);
    await new Promise((resolve) => setTimeout(resolve, 400));

    expect(echo.sockets).toHaveLength(1);
    expect(echo.sockets[0]?.bytesRead).toBe(0);
    expect(client.receivedBytes).toBe(0);
  });

  it('downstream stream lets the server read', async () => {
    const { port, echo } = await proxyWithToxic('timeout', 'downstream', { timeout: 0 });
    const client = new TestClient(port);
    await connected(client);
    client.socket.write(PAYLOAD);
    await new Promise((resolve) => setTimeout(resolve, 400));

    expect(echo.sockets[0]?.bytesRead).toBe(PAYLOAD.length);
    expect(client.receivedBytes).toBe(0);
  });
});

describe('reset_peer toxic', () => {
  it('resets the client after the timeout', async () => {
    const { port } = await proxyWithToxic('reset_peer', 'downstream', { timeout: 300 });
    const client = new TestClient(port);
    await connected(client);
    const startedMs = performance.now();
    client.socket.write(PAYLOAD);

    const outcome = await client.waitForClose(300 + SLACK_MS);

    expect(outcome.errorCode).toBe('ECONNRESET');
    expect(outcome.received.length).toBe(0);
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(295);
  });

  it('resets at once with timeout 0', async () => {
    const { port } = await proxyWithToxic('reset_peer', 'upstream', { timeout: 0 });
    const client = new TestClient(port);
    await connected(client);
    client.socket.write(PAYLOAD);

    const outcome = await client.waitForClose(SLACK_MS);

    expect(outcome.errorCode).toBe('ECONNRESET');
    expect(outcome.received.length).toBe(0);
  });

  it('waits for data before counting down', async () => {
    const { port } = await proxyWithToxic('reset_peer', 'downstream', { timeout: 0 });
    const client = new TestClient(port);
    await connected(client);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(client.socket.closed).toBe(false);
  });
});
