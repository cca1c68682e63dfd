/**
 * Which way a `latency` toxic delays a real Postgres query. Toxiproxy defaults `stream` to
 * `downstream` (server to client), and one `SELECT 1` is one request and one response, so a
 * toxic on each direction adds its latency once. The suite runs against the built-in proxy, or
 * against the real Toxiproxy at `TOXIPROXY_URL` with the same assertions.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPostgres, type TestPostgres } from '../../server/test-postgres.ts';
import { createTestProxy, portOf, startToxiproxyUnderTest, type ToxiproxyUnderTest } from './conformance-fixture.ts';

const LATENCY_MS = 1_000;
/** Scheduling slack on a loaded machine, in ms. */
const SLACK_MS = 800;
/** Timers may fire up to a millisecond early against the client's clock; this allows for it. */
const EARLY_MS = 5;

let postgres: TestPostgres;
let subject: ToxiproxyUnderTest;

beforeAll(async () => {
  postgres = await startTestPostgres();
  subject = await startToxiproxyUnderTest();
}, 60_000);

afterAll(async () => {
  await subject?.builtin?.stop();
  await postgres?.stop();
});

/** Measures one `SELECT 1` on an open connection, in ms. */
async function timeSelectOne(client: pg.Client): Promise<number> {
  const startedAt = performance.now();
  const result = await client.query<{ one: number }>('SELECT 1 AS one');
  expect(result.rows).toEqual([{ one: 1 }]);
  return performance.now() - startedAt;
}

describe('latency toxic direction on a Postgres link', () => {
  it('defaults to downstream, delays once per direction', async () => {
    const upstreamPort = Number(new URL(postgres.url).port);
    const proxy = await createTestProxy(subject, upstreamPort);
    const url = new URL(postgres.url);
    url.port = String(portOf(proxy.listen));
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const baselineMs = await timeSelectOne(client);
      expect(baselineMs).toBeLessThan(SLACK_MS);

      // No `stream` field in the request body: the server picks the default.
      const first = await proxy.addToxic({
        name: 'without_stream',
        type: 'latency',
        toxicity: 1,
        attributes: { latency: LATENCY_MS, jitter: 0 },
      } as never);
      expect(first.stream).toBe('downstream');
      const oneWayMs = await timeSelectOne(client);
      expect(oneWayMs).toBeGreaterThanOrEqual(LATENCY_MS - EARLY_MS);
      expect(oneWayMs).toBeLessThan(LATENCY_MS + SLACK_MS);

      const second = await proxy.addToxic({
        name: 'on_upstream',
        type: 'latency',
        stream: 'upstream',
        toxicity: 1,
        attributes: { latency: LATENCY_MS, jitter: 0 },
      } as never);
      expect(second.stream).toBe('upstream');
      const bothWaysMs = await timeSelectOne(client);
      expect(bothWaysMs).toBeGreaterThanOrEqual(2 * LATENCY_MS - EARLY_MS);
      expect(bothWaysMs).toBeLessThan(2 * LATENCY_MS + SLACK_MS);
    } finally {
      await client.end();
    }
  }, 30_000);
});
