/**
 * Conformance of the bandwidth, slow_close, slicer and limit_data toxics and of `toxicity`,
 * driven through `toxiproxy-node-client` and real sockets against a TCP echo upstream.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';

import {
  createTestProxy,
  portOf,
  startEchoServer,
  startToxiproxyUnderTest,
  TestClient,
  type ToxiproxyUnderTest,
  withDeadline,
} from './conformance-fixture.ts';
import { createSeededRandom } from './seeded-random.ts';
import { startToxiproxyServer } from './toxiproxy-server.ts';

const SLACK_MS = 1500;

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
  target: ToxiproxyUnderTest = subject,
  toxicity = 1,
) {
  const echo = await startEchoServer();
  const proxy = await createTestProxy(target, echo.port);
  await proxy.addToxic({ name: `${type}_toxic`, type, stream, toxicity, attributes } as never);
  return { proxy, port: portOf(proxy.listen), echo };
}

async function connectedClient(port: number): Promise<TestClient> {
  const client = new TestClient(port);
  await withDeadline(
    new Promise<void>((resolve) => client.socket.once('connect', () => resolve())),
    SLACK_MS,
    'the proxy to accept the client',
  );
  return client;
}

function payloadOf(bytes: number): Buffer {
  return Buffer.from(Array.from({ length: bytes }, (_, index) => index % 251));
}

describe('bandwidth toxic', () => {
  it('limits the rate to within 20 percent', async () => {
    // 150 KB at 100 KB/s should take 1.5 s.
    const { port } = await proxyWithToxic('bandwidth', 'downstream', { rate: 100 });
    const client = await connectedClient(port);
    const payload = payloadOf(150_000);

    const startedMs = performance.now();
    client.socket.write(payload);
    const received = await client.waitForBytes(payload.length, 1800 + SLACK_MS);
    const elapsedMs = performance.now() - startedMs;

    expect(received.equals(payload)).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual(1500 * 0.8);
    expect(elapsedMs).toBeLessThanOrEqual(1500 * 1.2);
  });

  it('leaves the other direction at full speed', async () => {
    const { port } = await proxyWithToxic('bandwidth', 'upstream', { rate: 1 });
    const client = await connectedClient(port);

    client.socket.write('x');
    const received = await client.waitForBytes(1, SLACK_MS);

    expect(received.toString()).toBe('x');
  });
});

describe('slow_close toxic', () => {
  it('delays the close by the delay', async () => {
    const { port, echo } = await proxyWithToxic('slow_close', 'downstream', { delay: 500 });
    const client = await connectedClient(port);
    client.socket.write('bye');
    await client.waitForBytes(3, SLACK_MS);

    const closingMs = performance.now();
    echo.sockets[0]?.end();
    const outcome = await client.waitForClose(500 + SLACK_MS);

    expect(outcome.received.toString()).toBe('bye');
    expect(outcome.errorCode).toBeUndefined();
    expect(performance.now() - closingMs).toBeGreaterThanOrEqual(495);
  });
});

describe('slicer toxic', () => {
  it('delivers the data in small delayed slices', async () => {
    // delay is in microseconds: 40 ms between slices keeps them apart on the wire.
    const attributes = { average_size: 100, size_variation: 20, delay: 40_000 };
    const { port } = await proxyWithToxic('slicer', 'downstream', attributes);
    const client = await connectedClient(port);
    const payload = payloadOf(1000);

    const startedMs = performance.now();
    client.socket.write(payload);
    const received = await client.waitForBytes(payload.length, 2000 + SLACK_MS);
    const elapsedMs = performance.now() - startedMs;
    const sizes = [...client.chunkSizes()].sort((a, b) => a - b);

    expect(received.equals(payload)).toBe(true);
    expect(sizes.length).toBeGreaterThanOrEqual(8);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThanOrEqual(120);
    expect(elapsedMs).toBeGreaterThanOrEqual(7 * 40);
  });
});

describe('limit_data toxic', () => {
  it('passes exactly the byte limit and then closes', async () => {
    const { port } = await proxyWithToxic('limit_data', 'downstream', { bytes: 1000 });
    const client = await connectedClient(port);

    client.socket.write(payloadOf(3000));
    const outcome = await client.waitForClose(SLACK_MS);

    expect(outcome.received.length).toBe(1000);
    expect(outcome.received.equals(payloadOf(1000))).toBe(true);
    expect(outcome.errorCode).toBeUndefined();
  });

  it('limits what reaches the server on the upstream stream', async () => {
    const { port, echo } = await proxyWithToxic('limit_data', 'upstream', { bytes: 10 });
    const client = await connectedClient(port);

    client.socket.write(payloadOf(50));
    const outcome = await client.waitForClose(SLACK_MS);

    expect(echo.sockets[0]?.bytesRead).toBe(10);
    expect(outcome.received.length).toBeLessThanOrEqual(10);
  });
});

describe('toxicity', () => {
  const CONNECTIONS = 200;
  const PROBABILITY = 0.3;
  const SEED = 7;

  /** Counts connections that the toxic (limit_data 0 bytes) cut before any echo came back. */
  async function countAffected(port: number): Promise<number> {
    let affected = 0;
    for (let batch = 0; batch < CONNECTIONS / 20; batch += 1) {
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const client = await connectedClient(port);
          client.socket.write('x');
          const outcome = await Promise.race([
            client.waitForBytes(1, SLACK_MS).then(() => 'echoed'),
            client.waitForClose(SLACK_MS).then(() => 'cut'),
          ]);
          client.socket.destroy();
          return outcome;
        }),
      );
      affected += outcomes.filter((outcome) => outcome === 'cut').length;
    }
    return affected;
  }

  it('affects about that share of connections', async () => {
    const target = subject.builtin === undefined ? subject : await startSeededBuiltin(SEED);
    const attributes = { bytes: 0 };
    const stream = 'downstream';
    const { port } = await proxyWithToxic('limit_data', stream, attributes, target, PROBABILITY);

    const affected = await countAffected(port);

    expect(Math.abs(affected / CONNECTIONS - PROBABILITY)).toBeLessThan(0.12);
    if (target.builtin !== undefined) {
      // One draw per connection, so the seeded count is exact.
      const random = createSeededRandom(SEED);
      const draws = Array.from({ length: CONNECTIONS }, () => random());
      expect(affected).toBe(draws.filter((draw) => draw < PROBABILITY).length);
    }
  });
});

async function startSeededBuiltin(seed: number): Promise<ToxiproxyUnderTest> {
  const builtin = await startToxiproxyServer({ port: 0, random: createSeededRandom(seed) });
  onTestFinished(() => builtin.stop());
  return { url: builtin.url, client: new Toxiproxy(builtin.url), builtin };
}
