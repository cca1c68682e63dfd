/**
 * One handler per Toxiproxy endpoint. Handlers throw on failure; the server maps every error
 * to a response in one place (`toErrorResponse`). Success statuses follow Toxiproxy: 201 for a
 * created proxy and for populate, 200 for a created toxic, 204 for deletes and reset.
 */
import type { Logger } from 'pino';

import { toErrorResponse } from './error-response.ts';
import { ProxyAlreadyStartedError } from './errors.ts';
import { parseRequestJson } from './go-json.ts';
import type { Proxy } from './proxy.ts';
import type { ProxyCollection } from './proxy-collection.ts';
import { decodePopulate, decodeProxyCreate, decodeProxyUpdate } from './proxy-json.ts';
import { toxicToJson } from './toxic-json.ts';

/** Version reported by `GET /version`: the Toxiproxy release whose API this server follows. */
// NOTE: the behaviour was compared with Toxiproxy's 2.x sources, not with a 2.12.0 binary.
export const TOXIPROXY_VERSION = '2.12.0';

export interface ApiRequest {
  params: Readonly<Record<string, string>>;
  body: string;
}

export type ApiReply =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'empty'; status: number }
  | { kind: 'raw'; status: number; contentType: string; text: string };

export type ApiHandler = (request: ApiRequest) => Promise<ApiReply>;

const json = (body: unknown, status = 200): ApiReply => ({ kind: 'json', status, body });
const noContent: ApiReply = { kind: 'empty', status: 204 };

export function createApiHandlers(proxies: ProxyCollection, logger: Logger) {
  const proxyOf = (request: ApiRequest): Proxy => proxies.get(request.params.proxy ?? '');

  return {
    version: async (): Promise<ApiReply> => ({
      kind: 'raw',
      status: 200,
      contentType: 'application/json;charset=utf-8',
      text: `{"version": "${TOXIPROXY_VERSION}"}\n`,
    }),

    listProxies: async () => json(Object.fromEntries(proxies.list().map((p) => [p.name, p]))),

    createProxy: async (request: ApiRequest) => {
      const definition = decodeProxyCreate(parseRequestJson(request.body));
      return json(await proxies.add(definition), 201);
    },

    populate: async (request: ApiRequest) => populate(proxies, request.body, logger),

    showProxy: async (request: ApiRequest) => json(proxyOf(request)),

    updateProxy: async (request: ApiRequest) => {
      const proxy = proxyOf(request);
      const update = decodeProxyUpdate(parseRequestJson(request.body), proxy);
      await proxy.update(update);
      return json(proxy);
    },

    deleteProxy: async (request: ApiRequest) => {
      await proxies.remove(request.params.proxy ?? '');
      return noContent;
    },

    reset: async () => {
      for (const proxy of proxies.list()) {
        await startUnlessRunning(proxy);
        await proxy.toxics.reset();
      }
      return noContent;
    },

    listToxics: async (request: ApiRequest) => json(proxyOf(request).toxics.toJSON()),

    createToxic: async (request: ApiRequest) => {
      const proxy = proxyOf(request);
      const toxic = await proxy.toxics.add(parseRequestJson(request.body));
      return json(toxicToJson(toxic));
    },

    showToxic: async (request: ApiRequest) => {
      const toxic = proxyOf(request).toxics.get(request.params.toxic ?? '');
      return json(toxicToJson(toxic));
    },

    updateToxic: async (request: ApiRequest) => {
      const proxy = proxyOf(request);
      const body = parseRequestJson(request.body);
      const toxic = await proxy.toxics.update(request.params.toxic ?? '', body);
      return json(toxicToJson(toxic));
    },

    deleteToxic: async (request: ApiRequest) => {
      await proxyOf(request).toxics.remove(request.params.toxic ?? '');
      return noContent;
    },

    /** Built-in extension, not in real Toxiproxy: the proxy's traffic counters. */
    proxyStats: async (request: ApiRequest) => {
      const { counters } = proxyOf(request);
      return json({
        bytes_upstream: counters.bytesUpstream,
        bytes_downstream: counters.bytesDownstream,
        connections: counters.connections,
        active_connections: counters.activeConnections,
      });
    },
  } satisfies Record<string, ApiHandler>;
}

async function startUnlessRunning(proxy: Proxy): Promise<void> {
  try {
    await proxy.start();
  } catch (error) {
    if (!(error instanceof ProxyAlreadyStartedError)) throw error;
  }
}

/**
 * Applies a `/populate` body. The reply lists the proxies applied, also on failure, when the
 * body carries `error` and `status` next to `proxies`. `proxies` is `null` when none was applied.
 */
async function populate(proxies: ProxyCollection, body: string, logger: Logger): Promise<ApiReply> {
  const applied: Proxy[] = [];
  try {
    for (const definition of decodePopulate(parseRequestJson(body))) {
      applied.push(await proxies.addOrReplace(definition));
    }
  } catch (error) {
    logger.warn({ err: error }, 'populate failed');
    const { status, body: failure } = toErrorResponse(error, logger);
    return json({ ...failure, proxies: applied.length > 0 ? applied : null }, status);
  }
  return json({ proxies: applied.length > 0 ? applied : null }, 201);
}
