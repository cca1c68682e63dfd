import type pg from 'pg';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import type { ServerConfig } from './config.ts';
import { createPool } from './database.ts';

/** Table of the `postgres` store; schema.sql creates it, so the limiter never runs DDL. */
export const RATE_LIMIT_TABLE = 'rate_limits';

/** Prefix of each counter's key, followed by the user id (`upgrade:user-0001`). */
const KEY_PREFIX = 'upgrade';

/** The per-user upgrade limiter and the pool it owns, if any. */
export interface UpgradeRateLimiter {
  limiter: RateLimiterMemory | RateLimiterPostgres;
  /** The `postgres` store's own pool, ended at shutdown; null for the `memory` store. */
  pool: pg.Pool | null;
}

/**
 * Creates the limiter `config.rateLimit.store` names. The `postgres` store gets a pool of its
 * own on `rateLimit.databaseUrl`, so a slow limiter and a slow permission lookup do not queue
 * behind each other, and counters survive a restart of the server. Nothing is sent to the
 * database until the first upgrade.
 */
export function createRateLimiter(config: ServerConfig, logger: Logger): UpgradeRateLimiter {
  const { points, durationS: duration, store } = config.rateLimit;
  if (store === 'memory') return { limiter: new RateLimiterMemory({ points, duration }), pool: null };

  const pool = createPool({ ...config, databaseUrl: config.rateLimit.databaseUrl }, logger);
  const limiter = new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: RATE_LIMIT_TABLE,
    // Without this flag the constructor runs CREATE TABLE unawaited, and a database that is
    // down at start turns that into an unhandled rejection.
    tableCreated: true,
    keyPrefix: KEY_PREFIX,
    points,
    duration,
  });
  return { limiter, pool };
}
