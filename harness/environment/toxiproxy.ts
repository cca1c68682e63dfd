import type { EnvironmentOptions, StartedToxiproxy, ToxiproxyBackendKind } from '../model/environment.ts';
import { chooseBackend } from './backend-choice.ts';
import { startBuiltinToxiproxy } from './start-builtin-toxiproxy.ts';
import { startDockerToxiproxy } from './start-docker-toxiproxy.ts';
import { startUrlToxiproxy } from './start-url-toxiproxy.ts';

/**
 * Starts Toxiproxy from the first backend that works: `TOXIPROXY_URL`, then Docker, then the
 * built-in server. `WUC_TOXIPROXY=url|docker|builtin` allows only that backend.
 */
export function startToxiproxy(options: EnvironmentOptions): Promise<StartedToxiproxy> {
  const env = options.env ?? process.env;
  const { logger } = options;
  return chooseBackend<ToxiproxyBackendKind, StartedToxiproxy>({
    dependency: 'toxiproxy',
    code: 'WUC_ERR_ENV_TOXIPROXY_UNAVAILABLE',
    summary: 'No Toxiproxy backend could be started',
    advice:
      'Set TOXIPROXY_URL to a running Toxiproxy, start a Docker engine, ' +
      'or fix the built-in server failure listed below.',
    forceVariable: 'WUC_TOXIPROXY',
    env,
    logger,
    backends: [
      {
        kind: 'url',
        label: 'url (TOXIPROXY_URL)',
        advice: 'Set TOXIPROXY_URL to a running Toxiproxy.',
        start: () => startUrlToxiproxy(env['TOXIPROXY_URL'], logger),
      },
      {
        kind: 'docker',
        label: 'docker',
        advice: 'Start a Docker engine.',
        start: () => startDockerToxiproxy(),
      },
      {
        kind: 'builtin',
        label: 'builtin',
        advice: 'Fix the built-in server failure listed below.',
        start: () => startBuiltinToxiproxy({ logger, random: options.random }),
      },
    ],
  });
}
