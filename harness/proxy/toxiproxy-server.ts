/**
 * The built-in Toxiproxy-compatible server: Toxiproxy 2.x's HTTP API on `host:port`, with the
 * proxies and toxics it creates. Clients such as `toxiproxy-node-client` cannot tell it from the
 * real server for the endpoints and toxics listed in this folder's README.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type Logger, pino } from 'pino';

import { type ApiReply, createApiHandlers } from './api-handlers.ts';
import { buildRoutes, matchRoute, type Route } from './api-routes.ts';
import { AsyncQueue } from './async-queue.ts';
import { toErrorResponse } from './error-response.ts';
import { apiErrors } from './errors.ts';
import { marshalGoJson } from './go-json.ts';
import type { ProxyCounters } from './proxy.ts';
import { ProxyCollection } from './proxy-collection.ts';
import type { StubContext } from './toxic-stub.ts';

export interface ToxiproxyServerOptions {
  /** Address the HTTP API listens on. @default '127.0.0.1' */
  host?: string;
  /** Port of the HTTP API; 0 picks a free port. @default 8474 */
  port?: number;
  /** Parent logger; the server logs under `component: 'toxiproxy'`. @default silent */
  logger?: Logger;
  /** Source of every random draw (jitter, slicer sizes, toxicity). @default Math.random */
  random?: () => number;
}

export interface StartedToxiproxyServer {
  /** Base URL of the API, `http://host:port`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Traffic counters of a proxy, or `null` when no proxy has that name. */
  proxyStats(name: string): ProxyCounters | null;
  /** Closes the API, every proxy listener and every open connection. Idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const DEFAULTS = { host: '127.0.0.1', port: 8474, random: Math.random } as const;

/** Largest request body read; larger bodies are rejected as Go's `MaxBytesReader` would. */
const MAX_BODY_BYTES = 1024 * 1024;

export async function startToxiproxyServer(
  options: ToxiproxyServerOptions = {},
): Promise<StartedToxiproxyServer> {
  const { host, port, random } = { ...DEFAULTS, ...withoutUndefined(options) };
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'toxiproxy' });

  const context: StubContext = {
    random,
    onPipeError: (error) => logger.error({ err: error }, 'toxic failed'),
  };
  const proxies = new ProxyCollection(logger, context);
  const routes = buildRoutes(createApiHandlers(proxies, logger));
  const queue = new AsyncQueue();
  const server = createServer((request, response) => {
    void handleRequest({ request, response, routes, queue, logger });
  });

  await listen(server, host, port);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${host}]` : host}:${address.port}`;
  logger.info({ url }, 'toxiproxy API listening');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, queue.run(() => proxies.clear())]);
      logger.info({ url }, 'toxiproxy API stopped');
    })();
    return stopping;
  };

  return {
    url,
    host,
    port: address.port,
    proxyStats: (name) => {
      const proxy = proxies.list().find((candidate) => candidate.name === name);
      return proxy === undefined ? null : { ...proxy.counters };
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  const entries = Object.entries(options).filter(([, value]) => value !== undefined);
  return Object.fromEntries(entries) as Partial<T>;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

interface RequestScope {
  request: IncomingMessage;
  response: ServerResponse;
  routes: readonly Route[];
  queue: AsyncQueue;
  logger: Logger;
}

async function handleRequest(scope: RequestScope): Promise<void> {
  const { request, response, logger } = scope;
  response.setHeader('X-Toxiproxy-Request-Id', newRequestId());
  const started = performance.now();
  try {
    await routeRequest(scope);
  } catch (error) {
    const failure = toErrorResponse(error, logger);
    sendText(response, failure.status, `${marshalGoJson(failure.body)}\n`);
  }
  logger.debug(
    {
      method: request.method,
      url: request.url,
      status: response.statusCode,
      durationMs: Math.round(performance.now() - started),
    },
    'API request',
  );
}

async function routeRequest(scope: RequestScope): Promise<void> {
  const { request, response } = scope;
  // Toxiproxy turns browsers away so a web page cannot drive the API.
  if (request.headers['user-agent']?.startsWith('Mozilla/')) {
    sendText(response, 403, 'User agent not allowed\n');
    return;
  }

  const path = decodePath(request.url ?? '/');
  if (path === undefined) {
    sendText(response, 400, '400 Bad Request');
    return;
  }
  const match = matchRoute(scope.routes, request.method ?? '', path);
  if (match.kind === 'not-found') {
    sendText(response, 404, '404 page not found\n');
    return;
  }
  if (match.kind === 'method-not-allowed') {
    response.writeHead(405).end();
    return;
  }

  const body = match.route.mutates ? await readBody(request) : '';
  const run = () => match.route.handler({ params: match.params, body });
  const reply = match.route.mutates ? await scope.queue.run(run) : await run();
  sendReply(response, reply);
}

function decodePath(url: string): string | undefined {
  const path = url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(path);
  } catch {
    // A malformed percent escape; Go's HTTP server rejects the request line outright.
    return undefined;
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw apiErrors.badRequestBody('http: request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendReply(response: ServerResponse, reply: ApiReply): void {
  if (reply.kind === 'empty') {
    response.writeHead(reply.status).end();
    return;
  }
  const text = reply.kind === 'raw' ? reply.text : marshalGoJson(reply.body);
  const contentType = reply.kind === 'raw' ? reply.contentType : 'application/json';
  response.writeHead(reply.status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Sends a plain-text reply or error with the headers that Go's `http.Error` sets. */
function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Returns a random 20-character id in the alphabet of the xid ids Toxiproxy sends. */
function newRequestId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  return [...randomBytes(20)].map((byte) => alphabet[byte % 32]).join('');
}
