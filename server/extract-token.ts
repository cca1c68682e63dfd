import type { IncomingMessage } from 'node:http';

/** Transport that carried the client's token. */
export type TokenTransport = 'authorization-header' | 'subprotocol' | 'cookie' | 'query';

/** Subprotocol a browser offers before the token: `Sec-WebSocket-Protocol: bearer, <jwt>`. */
export const BEARER_SUBPROTOCOL = 'bearer';

/** Cookie and query parameter that may carry the token. */
export const TOKEN_PARAMETER = 'access_token';

/** A token found in the request, or why none could be taken from it. */
export type ExtractedToken =
  | { token: string; transport: TokenTransport }
  | { token: null; rejection: 'missing' | 'invalid'; detail: string };

/**
 * Takes the token from the first transport the request uses, in this order: `Authorization:
 * Bearer`, the `bearer, <jwt>` subprotocol pair, the `access_token` cookie, then the
 * `access_token` query parameter. A transport that is present but malformed makes the token
 * invalid instead of falling through, so a client learns that its header was wrong.
 */
export function extractToken(req: IncomingMessage): ExtractedToken {
  // Node keeps only the first of repeated Authorization headers in `req.headers`, so a second
  // credential would pass unseen. RFC 6750 section 3.1 calls a repeated parameter malformed.
  if (countRawHeader(req.rawHeaders, 'authorization') > 1) {
    return { token: null, rejection: 'invalid', detail: 'more than one Authorization header' };
  }
  const authorization = req.headers.authorization;
  if (authorization !== undefined) return fromAuthorization(authorization);

  const protocols = req.headers['sec-websocket-protocol'];
  const fromProtocol = protocols === undefined ? null : fromSubprotocols(protocols);
  if (fromProtocol !== null) return fromProtocol;

  const cookie = req.headers.cookie === undefined ? null : readCookie(req.headers.cookie, TOKEN_PARAMETER);
  if (cookie !== null) return nonEmpty(cookie, 'cookie');

  const query = queryParameters(req.url).get(TOKEN_PARAMETER);
  if (query !== null) return nonEmpty(query, 'query');

  return { token: null, rejection: 'missing', detail: 'no token in any transport' };
}

/** Counts the header lines named `lowerName` in Node's flat `[name, value, ...]` list. */
function countRawHeader(rawHeaders: readonly string[], lowerName: string): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === lowerName) count += 1;
  }
  return count;
}

/** Returns the query string of a request target as parameters; an absent query gives none. */
export function queryParameters(url: string | undefined): URLSearchParams {
  const target = url ?? '/';
  const queryStart = target.indexOf('?');
  return new URLSearchParams(queryStart === -1 ? '' : target.slice(queryStart + 1));
}

/** Picks `bearer` when the client offered it, so the 101 response never echoes the token. */
export function selectSubprotocol(protocols: Set<string>): string | false {
  return protocols.has(BEARER_SUBPROTOCOL) ? BEARER_SUBPROTOCOL : false;
}

function fromAuthorization(header: string): ExtractedToken {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (match?.[1] === undefined) {
    return { token: null, rejection: 'invalid', detail: 'authorization header is not "Bearer <token>"' };
  }
  return { token: match[1], transport: 'authorization-header' };
}

function fromSubprotocols(header: string): ExtractedToken | null {
  const protocols = header.split(',').map((part) => part.trim());
  const bearerIndex = protocols.indexOf(BEARER_SUBPROTOCOL);
  if (bearerIndex === -1) return null;

  const token = protocols[bearerIndex + 1];
  if (token === undefined || token === '') {
    return { token: null, rejection: 'invalid', detail: 'bearer subprotocol is not followed by a token' };
  }
  return { token, transport: 'subprotocol' };
}

function readCookie(header: string, name: string): string | null {
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator === -1 || pair.slice(0, separator).trim() !== name) continue;
    return pair.slice(separator + 1).trim();
  }
  return null;
}

function nonEmpty(token: string, transport: TokenTransport): ExtractedToken {
  if (token === '') {
    return { token: null, rejection: 'invalid', detail: `${transport} ${TOKEN_PARAMETER} is empty` };
  }
  return { token, transport };
}
