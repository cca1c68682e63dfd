import { describe, expect, it } from 'vitest';

import { ProxyListenError } from './errors.ts';
import { formatAddress, resolveListenAddress, splitHostPort } from './listen-address.ts';

describe('splitHostPort', () => {
  it.each([
    ['127.0.0.1:80', { host: '127.0.0.1', port: '80' }],
    ['[::1]:80', { host: '::1', port: '80' }],
    [':0', { host: '', port: '0' }],
    ['localhost:', { host: 'localhost', port: '' }],
  ])('splits %s', (address, expected) => {
    expect(splitHostPort(address)).toEqual(expected);
  });

  it.each([
    ['127.0.0.1', 'address 127.0.0.1: missing port in address'],
    ['::1:80', 'address ::1:80: too many colons in address'],
    ['[::1', "address [::1: missing ']' in address"],
    ['[::1]', 'address [::1]: missing port in address'],
    ['[::1]:80:90', 'address [::1]:80:90: too many colons in address'],
  ])('rejects %s like Go', (address, message) => {
    expect(splitHostPort(address)).toBe(message);
  });
});

describe('formatAddress', () => {
  it('brackets IPv6 only', () => {
    expect(formatAddress('127.0.0.1', 8474)).toBe('127.0.0.1:8474');
    expect(formatAddress('::', 8474)).toBe('[::]:8474');
  });
});

describe('resolveListenAddress', () => {
  it('binds wildcard hosts dual-stack', async () => {
    expect(await resolveListenAddress(':0')).toEqual({ ip: '::', port: 0 });
    expect(await resolveListenAddress('0.0.0.0:5')).toEqual({ ip: '::', port: 5 });
  });

  it('resolves localhost to IPv4 first', async () => {
    expect(await resolveListenAddress('localhost:0')).toEqual({ ip: '127.0.0.1', port: 0 });
  });

  it('rejects a port out of range', async () => {
    const failure = resolveListenAddress('127.0.0.1:70000');

    await expect(failure).rejects.toBeInstanceOf(ProxyListenError);
    await expect(failure).rejects.toThrow(
      'listen tcp 127.0.0.1:70000: address 70000: invalid port',
    );
  });
});
