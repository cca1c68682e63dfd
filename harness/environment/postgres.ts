import type { EnvironmentOptions, PostgresBackendKind, StartedPostgres } from '../model/environment.ts';
import { chooseBackend } from './backend-choice.ts';
import { startDockerPostgres } from './start-docker-postgres.ts';
import { startEmbeddedPostgres } from './start-embedded-postgres.ts';
import { startUrlPostgres } from './start-url-postgres.ts';

/**
 * Starts Postgres from the first backend that works: `DATABASE_URL`, then Docker, then
 * `embedded-postgres`. `WUC_POSTGRES=url|docker|embedded` allows only that backend.
 */
export function startPostgres(options: EnvironmentOptions): Promise<StartedPostgres> {
  const env = options.env ?? process.env;
  return chooseBackend<PostgresBackendKind, StartedPostgres>({
    dependency: 'postgres',
    code: 'WUC_ERR_ENV_POSTGRES_UNAVAILABLE',
    summary: 'No Postgres backend could be started',
    advice:
      'Set DATABASE_URL to a running Postgres, start a Docker engine, ' +
      'or fix the embedded-postgres failure listed below.',
    forceVariable: 'WUC_POSTGRES',
    env,
    logger: options.logger,
    backends: [
      {
        kind: 'url',
        label: 'url (DATABASE_URL)',
        advice: 'Set DATABASE_URL to a running Postgres.',
        start: () => startUrlPostgres(env['DATABASE_URL']),
      },
      {
        kind: 'docker',
        label: 'docker',
        advice: 'Start a Docker engine.',
        start: () => startDockerPostgres(),
      },
      {
        kind: 'embedded',
        label: 'embedded',
        advice: 'Fix the embedded-postgres failure listed below.',
        start: () => startEmbeddedPostgres({ workDir: options.workDir, logger: options.logger }),
      },
    ],
  });
}
