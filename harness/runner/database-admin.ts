import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from 'pino';
import { describeError } from '../environment/describe-error.ts';
import { HARNESS_APPLICATION_NAME } from './count-backends.ts';

/** Time allowed to connect and to run one statement on the admin connection, in ms. */
const CONNECT_TIMEOUT_MS = 5_000;
const QUERY_TIMEOUT_MS = 5_000;

/** Upper bound on samples one sampler takes, so a sampler never stopped still ends. */
const MAX_SAMPLES = 6_000;

/**
 * The target's client sessions on the admin connection's database: every client backend
 * except this session and those whose application name marks them as the harness's.
 */
const TARGET_BACKENDS = `
FROM pg_stat_activity
WHERE datname = current_database()
  AND backend_type = 'client backend'
  AND pid <> pg_backend_pid()
  AND coalesce(application_name, '') NOT LIKE $1`;

const TERMINATE_SQL = `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated ${TARGET_BACKENDS}`;

const SAMPLE_SQL = `
SELECT count(*)::int AS total,
       count(*) FILTER (WHERE state = 'idle' AND query = '')::int AS "idleNeverQueried"
${TARGET_BACKENDS}`;

/** One `pg_stat_activity` sample, `atMs` after the sampler started. */
export interface BackendSample {
  atMs: number;
  /** Target sessions on the database, in any state. */
  total: number;
  /** Of those, sessions idle that never ran a statement (empty `query`). */
  idleNeverQueried: number;
}

function adminClient(adminUrl: string, suffix: string): pg.Client {
  const client = new pg.Client({
    connectionString: adminUrl,
    application_name: `${HARNESS_APPLICATION_NAME}-${suffix}`,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  // A connection error also rejects the pending query or connect, which reports it.
  client.on('error', () => undefined);
  return client;
}

/**
 * Ends the target's sessions with `pg_terminate_backend`, connecting with `adminUrl` directly
 * (not through the proxy, so toxics cannot delay it). Returns how many were terminated; throws
 * when the admin connection or the statement fails.
 */
export async function terminateBackends(adminUrl: string): Promise<number> {
  const client = adminClient(adminUrl, 'terminate');
  try {
    await client.connect();
    const { rows } = await client.query<{ terminated: number }>(TERMINATE_SQL, [`${HARNESS_APPLICATION_NAME}%`]);
    return rows[0]?.terminated ?? 0;
  } finally {
    await client.end().catch(() => {
      // The statement already ran or failed, and Postgres drops the session by itself.
    });
  }
}

/** A running `pg_stat_activity` sampler; `stop` ends it and returns its samples. */
export interface BackendSampler {
  stop(): Promise<{ samples: BackendSample[]; error: string | null }>;
}

/**
 * Samples the target's sessions every `intervalMs` over one admin connection until `stop` or
 * `MAX_SAMPLES`. A failed connect or query ends sampling and is returned as `error`.
 */
export function startBackendSampler(adminUrl: string, intervalMs: number, logger: Logger): BackendSampler {
  const client = adminClient(adminUrl, 'sampler');
  const samples: BackendSample[] = [];
  const startedAt = performance.now();
  let stopped = false;
  let error: string | null = null;

  const loop = async () => {
    try {
      await client.connect();
      while (!stopped && samples.length < MAX_SAMPLES) {
        const { rows } = await client.query<Omit<BackendSample, 'atMs'>>(SAMPLE_SQL, [`${HARNESS_APPLICATION_NAME}%`]);
        const row = rows[0] ?? { total: 0, idleNeverQueried: 0 };
        samples.push({ atMs: Math.round(performance.now() - startedAt), ...row });
        await sleep(intervalMs);
      }
    } catch (err) {
      error = describeError(err);
      logger.warn({ err }, 'pg_stat_activity sampling failed');
    }
  };
  const running = loop();

  return {
    async stop() {
      stopped = true;
      await running;
      await client.end().catch(() => {
        // Sampling is over; Postgres drops the session by itself.
      });
      return { samples, error };
    },
  };
}
