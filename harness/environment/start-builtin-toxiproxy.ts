import type { Logger } from 'pino';

import type { StartedToxiproxy } from '../model/environment.ts';
import { startToxiproxyServer } from '../proxy/toxiproxy-server.ts';
import type { BackendOutcome } from './backend-choice.ts';
import { describeError } from './describe-error.ts';
import { splitHostPort } from './host-port.ts';
import { createProxyControl } from './proxy-control.ts';
import { runOnce } from './run-once.ts';
import { ToxiproxyControl } from './toxiproxy-control.ts';

const HOST = '127.0.0.1';

export interface BuiltinToxiproxyOptions {
  logger: Logger;
  /** Seeded source of the server's jitter, slicer sizes and toxicity draws. */
  random: () => number;
}

/** Starts the harness's own Toxiproxy-compatible server on 127.0.0.1, port picked by the OS. */
export async function startBuiltinToxiproxy(
  options: BuiltinToxiproxyOptions,
): Promise<BackendOutcome<StartedToxiproxy>> {
  let server;
  try {
    const { logger, random } = options;
    server = await startToxiproxyServer({ host: HOST, port: 0, logger, random });
  } catch (error) {
    return { failed: `the built-in server did not start on ${HOST}: ${describeError(error)}`, cause: error };
  }

  const stop = runOnce(() => server.stop());
  const api = new ToxiproxyControl(server.url);
  let version: string;
  try {
    version = await api.version();
  } catch (error) {
    await stop();
    const failed = `the built-in server did not respond to GET /version: ${describeError(error)}`;
    return { failed, cause: error };
  }

  return {
    started: {
      kind: 'builtin',
      apiUrl: server.url,
      version,
      createProxy: async (name, upstream) => {
        await api.deleteProxyIfPresent(name);
        const proxy = await api.createProxy({ name, listen: `${HOST}:0`, upstream });
        const listen = splitHostPort(proxy.listen);
        const listenAddress = { listenHost: listen.host, listenPort: listen.port };
        return createProxyControl({ api, name, ...listenAddress, hasStats: true });
      },
      stop,
    },
    reason: `started the built-in Toxiproxy-compatible server at ${server.url}`,
  };
}
