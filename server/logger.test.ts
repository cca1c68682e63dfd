import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, serializeRequest } from './logger.ts';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

function fakeRequest(url: string, headers: Record<string, string>): IncomingMessage {
  return { method: 'GET', url, headers, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
}

describe('createLogger', () => {
  it('redacts secret fields', () => {
    const { logger, lines } = capture();

    logger.info(
      {
        token: 'secret-1',
        authorization: 'Bearer secret-2',
        cookie: 'access_token=secret-3',
        'sec-websocket-protocol': 'bearer, secret-4',
        upgrade: { token: 'secret-5', headers: { authorization: 'Bearer secret-6' } },
      },
      'redaction check',
    );

    const line = JSON.stringify(lines[0]);
    for (const secret of ['secret-1', 'secret-2', 'secret-3', 'secret-4', 'secret-5', 'secret-6']) {
      expect(line).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({ token: '[Redacted]', msg: 'redaction check' });
  });

  it('logs requests through the whitelist', () => {
    const { logger, lines } = capture();
    const req = fakeRequest('/ws?access_token=secret-7&channel=lobby', {
      authorization: 'Bearer secret-8',
      'sec-websocket-protocol': 'bearer, secret-9',
    });

    logger.info({ req }, 'request check');

    expect(lines[0]?.req).toEqual({ method: 'GET', path: '/ws', remoteAddress: '127.0.0.1', subprotocolCount: 2 });
    expect(JSON.stringify(lines[0])).not.toMatch(/secret-/);
  });
});

describe('serializeRequest', () => {
  it('keeps a path without query', () => {
    expect(serializeRequest(fakeRequest('/healthz', {}))).toEqual({
      method: 'GET',
      path: '/healthz',
      remoteAddress: '127.0.0.1',
      subprotocolCount: 0,
    });
  });
});
