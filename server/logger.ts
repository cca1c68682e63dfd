import type { IncomingMessage } from 'node:http';
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

/**
 * Paths pino replaces with "[Redacted]". The code never logs headers or tokens, so these are a
 * second line of defence against a future log call that passes them by mistake.
 */
export const REDACT_PATHS = Object.freeze([
  'token',
  'authorization',
  'cookie',
  '["sec-websocket-protocol"]',
  '*.token',
  '*.authorization',
  '*.cookie',
  '*["sec-websocket-protocol"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["sec-websocket-protocol"]',
]);

/** The fields of an upgrade or HTTP request that are safe to log. */
export interface LoggedRequest {
  method: string | undefined;
  /** Path without the query string, since the query may carry `access_token`. */
  path: string;
  remoteAddress: string | undefined;
  subprotocolCount: number;
}

/** Reduces a request to a whitelist of fields, so headers and the query never reach a log. */
export function serializeRequest(req: IncomingMessage): LoggedRequest {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const protocols = req.headers['sec-websocket-protocol'];

  return {
    method: req.method,
    path: queryStart === -1 ? url : url.slice(0, queryStart),
    remoteAddress: req.socket.remoteAddress,
    subprotocolCount: protocols === undefined ? 0 : protocols.split(',').length,
  };
}

/** Creates the root logger: JSON lines on stdout unless another destination is given. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'ws-upgrade-chaos-server' },
    redact: { paths: [...REDACT_PATHS] },
    serializers: { req: serializeRequest, err: stdSerializers.err },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
