/**
 * Changes to the toxic chain while data flows must neither lose, duplicate nor reorder bytes:
 * Toxiproxy interrupts and rewires the stubs of open connections in place.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';

import {
  createTestProxy,
  portOf,
  startEchoServer,
  startToxiproxyUnderTest,
  TestClient,
  type ToxiproxyUnderTest,
} from './conformance-fixture.ts';

let subject: ToxiproxyUnderTest;

beforeAll(async () => {
  subject = await startToxiproxyUnderTest();
});

afterAll(async () => {
  await subject.builtin?.stop();
});

const BLOCK_BYTES = 4096;
const BLOCKS = 200;

function block(index: number): Buffer {
  return Buffer.alloc(BLOCK_BYTES, index % 256);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('keeps the stream intact while toxics change', async () => {
  const echo = await startEchoServer();
  const proxy = await createTestProxy(subject, echo.port);
  const client = new TestClient(portOf(proxy.listen));
  const toxicsPath = `${subject.url}/proxies/${proxy.name}/toxics`;
  const send = (path: string, method: string, body?: unknown) =>
    fetch(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });

  const writing = (async () => {
    for (let index = 0; index < BLOCKS; index += 1) {
      client.socket.write(block(index));
      await sleep(4);
    }
  })();
  const lag = { name: 'lag', type: 'latency', stream: 'upstream' };
  const slices = { name: 'slices', type: 'slicer' };
  const narrow = { name: 'narrow', type: 'bandwidth' };
  const changes = [
    () => send(toxicsPath, 'POST', { ...lag, attributes: { latency: 20, jitter: 10 } }),
    () =>
      send(toxicsPath, 'POST', {
        ...slices,
        attributes: { average_size: 500, size_variation: 100, delay: 100 },
      }),
    () => send(`${toxicsPath}/lag`, 'POST', { attributes: { latency: 5 } }),
    () => send(toxicsPath, 'POST', { ...narrow, attributes: { rate: 4000 } }),
    () => send(`${toxicsPath}/slices`, 'DELETE'),
    () => send(`${toxicsPath}/lag`, 'DELETE'),
    () => send(`${toxicsPath}/narrow`, 'POST', { attributes: { rate: 8000 } }),
    () => send(`${toxicsPath}/narrow`, 'DELETE'),
  ];
  for (const change of changes) {
    const response = await change();
    expect(response.status).toBeLessThan(300);
    await sleep(80);
  }
  await writing;

  const expected = Buffer.concat(Array.from({ length: BLOCKS }, (_, index) => block(index)));
  const received = await client.waitForBytes(expected.length, 15_000);

  expect(received.length).toBe(expected.length);
  expect(received.equals(expected)).toBe(true);
});
