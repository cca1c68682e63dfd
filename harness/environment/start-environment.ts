import type { Logger } from 'pino';

import type {
  EnvironmentOptions,
  StartedEnvironment,
  StartedPostgres,
  StartedToxiproxy,
} from '../model/environment.ts';
import { formatHostPort } from './host-port.ts';
import { startPostgres } from './postgres.ts';
import { withHostPort } from './postgres-url-parts.ts';
import { runOnce } from './run-once.ts';
import { startToxiproxy } from './toxiproxy.ts';

export { applySchema } from './apply-schema.ts';

/** Name of the proxy in front of Postgres. */
export const DATABASE_PROXY_NAME = 'postgres';

/**
 * Starts Postgres, then Toxiproxy, and puts proxy `postgres` in front of the database. A failure
 * stops what already started before it is rethrown.
 */
export async function startEnvironment(options: EnvironmentOptions): Promise<StartedEnvironment> {
  const { logger } = options;
  const postgres = await startPostgres(options);

  let toxiproxy: StartedToxiproxy;
  try {
    toxiproxy = await startToxiproxy(options);
  } catch (error) {
    await stopQuietly(postgres.stop, logger, 'postgres');
    throw error;
  }

  const upstream = formatHostPort(postgres.host, postgres.port);
  let databaseProxy;
  try {
    databaseProxy = await toxiproxy.createProxy(DATABASE_PROXY_NAME, upstream);
  } catch (error) {
    await stopQuietly(toxiproxy.stop, logger, 'toxiproxy');
    await stopQuietly(postgres.stop, logger, 'postgres');
    throw error;
  }

  const { listenHost, listenPort } = databaseProxy;
  const targetDatabaseUrl = withHostPort(postgres.adminUrl, listenHost, listenPort);
  logger.info(
    {
      postgres: postgres.kind,
      toxiproxy: toxiproxy.kind,
      upstream,
      proxyListen: formatHostPort(listenHost, listenPort),
    },
    'environment started',
  );
  const stop = runOnce(() => stopInOrder(postgres, toxiproxy));
  return { postgres, toxiproxy, databaseProxy, targetDatabaseUrl, stop };
}

/** Stops the proxy, then Postgres; Postgres is stopped even when the proxy fails to stop. */
async function stopInOrder(postgres: StartedPostgres, toxiproxy: StartedToxiproxy): Promise<void> {
  try {
    await toxiproxy.stop();
  } finally {
    await postgres.stop();
  }
}

/** Stops a part during a failed start, where the start's own error is the one to report. */
async function stopQuietly(stop: () => Promise<void>, logger: Logger, part: string): Promise<void> {
  try {
    await stop();
  } catch (error) {
    logger.warn({ err: error, part }, 'cleanup after failed start failed');
  }
}
