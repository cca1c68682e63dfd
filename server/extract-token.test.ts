import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { extractToken, selectSubprotocol } from './extract-token.ts';

function request(url: string, headers: Record<string, string> = {}, extraRaw: string[] = []): IncomingMessage {
  const rawHeaders = [...Object.entries(headers).flat(), ...extraRaw];
  return { url, headers, rawHeaders } as unknown as IncomingMessage;
}

describe('extractToken', () => {
  it.each([
    ['authorization header', request('/ws', { authorization: 'Bearer a.b.c' }), 'authorization-header'],
    ['lower-case scheme', request('/ws', { authorization: 'bearer a.b.c' }), 'authorization-header'],
    ['subprotocol pair', request('/ws', { 'sec-websocket-protocol': 'bearer, a.b.c' }), 'subprotocol'],
    ['cookie', request('/ws', { cookie: 'theme=dark; access_token=a.b.c' }), 'cookie'],
    ['query parameter', request('/ws?channel=lobby&access_token=a.b.c'), 'query'],
  ])('finds the token in the %s', (_name, req, transport) => {
    expect(extractToken(req)).toEqual({ token: 'a.b.c', transport });
  });

  it('rejects a repeated Authorization header', () => {
    const req = request('/ws', { authorization: 'Bearer first' }, ['Authorization', 'Bearer second']);

    expect(extractToken(req)).toEqual({ token: null, rejection: 'invalid', detail: 'more than one Authorization header' });
  });

  it('prefers the header over other transports', () => {
    const req = request('/ws?access_token=from-query', {
      authorization: 'Bearer from-header',
      'sec-websocket-protocol': 'bearer, from-protocol',
      cookie: 'access_token=from-cookie',
    });

    expect(extractToken(req)).toEqual({ token: 'from-header', transport: 'authorization-header' });
  });

  it('skips subprotocols without bearer', () => {
    const req = request('/ws?access_token=a.b.c', { 'sec-websocket-protocol': 'chat, v2' });

    expect(extractToken(req)).toEqual({ token: 'a.b.c', transport: 'query' });
  });

  it.each([
    ['basic scheme', request('/ws', { authorization: 'Basic dXNlcjpwYXNz' })],
    ['empty bearer', request('/ws', { authorization: 'Bearer ' })],
    ['bearer without token', request('/ws', { 'sec-websocket-protocol': 'bearer' })],
    ['empty cookie', request('/ws', { cookie: 'access_token=' })],
    ['empty query parameter', request('/ws?access_token=')],
  ])('marks %s invalid', (_name, req) => {
    expect(extractToken(req)).toMatchObject({ token: null, rejection: 'invalid' });
  });

  it('reports a missing token', () => {
    expect(extractToken(request('/ws?channel=lobby', { cookie: 'theme=dark' }))).toMatchObject({
      token: null,
      rejection: 'missing',
    });
  });
});

describe('selectSubprotocol', () => {
  it('selects bearer, never the token', () => {
    expect(selectSubprotocol(new Set(['bearer', 'a.b.c']))).toBe('bearer');
  });

  it('selects none without bearer', () => {
    expect(selectSubprotocol(new Set(['chat']))).toBe(false);
  });
});
