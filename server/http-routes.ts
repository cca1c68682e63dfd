import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { reasonPhrase } from './policy.ts';
import { WEBSOCKET_PATH } from './upgrade-gate.ts';
import type { MetricsSnapshot } from './server-metrics.ts';

export interface HttpRouteOptions {
  /** Resolves true when the server accepts upgrades and the database responds. */
  isReady(): Promise<boolean>;
  metricsSnapshot(): MetricsSnapshot;
  logger: Logger;
}

/** Creates the handler for plain HTTP requests: `/healthz`, `/readyz` and `/metrics`. */
export function createRequestHandler(options: HttpRouteOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?', 1)[0];

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, { Allow: 'GET, HEAD' });
    if (path === '/healthz') return sendText(res, 200);
    if (path === '/metrics') return sendJson(res, 200, options.metricsSnapshot());
    if (path === WEBSOCKET_PATH) return sendText(res, 426, { Upgrade: 'websocket' });
    if (path !== '/readyz') return sendText(res, 404);

    options.isReady().then(
      (ready) => sendText(res, ready ? 200 : 503, ready ? {} : { 'Retry-After': '1' }),
      (err: unknown) => {
        options.logger.error({ err }, 'readiness check failed');
        sendText(res, 503, { 'Retry-After': '1' });
      },
    );
  };
}

// Node drops the body of a response to HEAD by itself, so both methods share these writers.
function sendText(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  const body = reasonPhrase(status);
  res.writeHead(status, {
    'Content-Type': 'text/plain',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
