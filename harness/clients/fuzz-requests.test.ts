import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../proxy/seeded-random.ts';
import { FUZZ_KINDS, generateFuzzRequests } from './fuzz-requests.ts';

const endpoint = { host: '127.0.0.1', port: 8080, path: '/ws' };
const validTokens = ['aaa.bbb.ccc', 'ddd.eee.fff'];

function generate(seed: number, count = 1_200) {
  return generateFuzzRequests(count, { endpoint, validTokens, random: createSeededRandom(seed) });
}

describe('generateFuzzRequests', () => {
  it('repeats the same requests for one seed', () => {
    const first = generate(42);
    const second = generate(42);

    expect(second.map((request) => request.kind)).toEqual(first.map((request) => request.kind));
    expect(second.map((request) => request.bytes.toString('latin1'))).toEqual(first.map((request) => request.bytes.toString('latin1')));
  });

  it('draws other requests for another seed', () => {
    expect(generate(43).map((request) => request.kind)).not.toEqual(generate(42).map((request) => request.kind));
  });

  it('covers every kind in 1,200 requests', () => {
    const kinds = new Set(generate(42).map((request) => request.kind));

    expect([...kinds].sort()).toEqual([...FUZZ_KINDS].sort());
  });

  it('numbers requests from 0', () => {
    expect(generate(42, 5).map((request) => request.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('half-closes only truncated requests', () => {
    for (const request of generate(42)) {
      expect(request.endAfterWrite, `request #${request.index}`).toBe(request.kind === 'truncated');
    }
  });

  it('ends no truncated request head', () => {
    const truncated = generate(42).filter((request) => request.kind === 'truncated');

    expect(truncated.length).toBeGreaterThan(0);
    for (const request of truncated) expect(request.bytes.toString('latin1').endsWith('\r\n\r\n')).toBe(false);
  });

  it('makes oversized heads larger than 16 KiB', () => {
    const oversized = generate(42).filter((request) => request.kind === 'oversized-header');

    expect(oversized.length).toBeGreaterThan(0);
    for (const request of oversized) expect(request.bytes.length).toBeGreaterThan(16 * 1024);
  });

  it('sends two Authorization headers when duplicated', () => {
    const duplicated = generate(42).filter((request) => request.kind === 'duplicate-authorization');

    expect(duplicated.length).toBeGreaterThan(0);
    for (const request of duplicated) {
      expect(request.bytes.toString('latin1').match(/\r\nAuthorization: /g)).toHaveLength(2);
    }
  });

  it('leaves out the key when missing', () => {
    const missing = generate(42).filter((request) => request.kind === 'missing-key');

    expect(missing.length).toBeGreaterThan(0);
    for (const request of missing) expect(request.bytes.toString('latin1')).not.toContain('Sec-WebSocket-Key');
  });
});
