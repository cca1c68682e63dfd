import type { Logger } from 'pino';

import { HarnessError } from '../errors.ts';
import type { StartedToxiproxy } from '../model/environment.ts';
import type { BackendOutcome } from './backend-choice.ts';
import { describeError } from './describe-error.ts';
import { formatHostPort, isWildcardHost, splitHostPort } from './host-port.ts';
import { createProxyControl } from './proxy-control.ts';
import { redactBaseUrl, redactUrl } from './redact-url.ts';
import { runOnce } from './run-once.ts';
import { ToxiproxyControl } from './toxiproxy-control.ts';

/**
 * Uses the Toxiproxy that `TOXIPROXY_URL` names. A set but unusable URL ends the search, since
 * the user asked for that server. A proxy that already exists there under the requested name is
 * kept as it is: that server's own network decides which listen address the target can reach
 * and which upstream reaches Postgres (docker-compose.yml defines `postgres` that way).
 */
export async function startUrlToxiproxy(
  url: string | undefined,
  logger: Logger,
): Promise<BackendOutcome<StartedToxiproxy>> {
  if (url === undefined || url === '') {
    return {
      failed:
        'TOXIPROXY_URL is not set; set it to the API of a running Toxiproxy, such as http://127.0.0.1:8474',
    };
  }
  let apiHost: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error('the scheme is not http or https');
    }
    apiHost = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  } catch (error) {
    // A value that is not an HTTP URL is a configuration mistake, not a proxy that failed.
    throw new HarnessError(
      'WUC_ERR_USAGE_INVALID_ENV',
      `TOXIPROXY_URL ${redactUrl(url)} is invalid (${describeError(error)}). Set it to the form ` +
        'http://host:port, such as http://127.0.0.1:8474, or unset it to use another backend.',
      { cause: error },
    );
  }

  const api = new ToxiproxyControl(url);
  let version: string;
  try {
    version = await api.version();
  } catch (error) {
    return {
      failed:
        `TOXIPROXY_URL ${redactBaseUrl(url)} did not respond to GET /version: ${describeError(error)}; ` +
        'start Toxiproxy there, fix TOXIPROXY_URL, or unset it to use another backend',
      cause: error,
      final: true,
    };
  }

  const created = new Set<string>();
  const createProxy: StartedToxiproxy['createProxy'] = async (name, upstream) => {
    let proxy = await api.findProxy(name);
    if (proxy === undefined) {
      // The proxy listens on the interface the API is reached on, with a port Toxiproxy picks.
      proxy = await api.createProxy({ name, listen: formatHostPort(apiHost, 0), upstream });
      created.add(name);
    } else {
      const { listen, upstream: keptUpstream } = proxy;
      const fields = { proxy: name, listen, upstream: keptUpstream, requestedUpstream: upstream };
      logger.info(fields, 'existing proxy kept');
    }
    const listen = splitHostPort(proxy.listen);
    const listenHost = isWildcardHost(listen.host) ? apiHost : listen.host;
    return createProxyControl({ api, name, listenHost, listenPort: listen.port, hasStats: false });
  };

  // The server belongs to the user: stopping removes only the proxies this harness created.
  const stop = runOnce(async () => {
    for (const name of created) {
      await api.deleteProxyIfPresent(name).catch((error: unknown) => {
        logger.warn({ err: error, proxy: name }, 'proxy not deleted');
      });
    }
  });

  return {
    started: { kind: 'url', apiUrl: api.apiUrl, version, createProxy, stop },
    reason: `TOXIPROXY_URL is set (${url})`,
  };
}
