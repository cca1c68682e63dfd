import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against malformed handshakes that crash the server, hang it or get a 5xx. 1,200
 * requests drawn from seed 20261204 (missing or bad Sec-WebSocket-Key and version, oversized
 * headers, bytes outside the token alphabet, a duplicated Authorization header, truncated
 * requests, bad methods, request lines and header syntax) go over raw sockets, 20 at a time.
 * Each must get a 4xx or a closed socket within 5 s. A finding names the request kind, its
 * index and the seed, so the same seed reproduces it.
 */
export default defineScenario({
  name: 'handshake-fuzz',
  tags: ['raw-tcp', 'fuzz', 'handshake'],
  description:
    '1,200 seeded malformed upgrade requests over raw sockets; each gets a 4xx or a close, never a 5xx, a hang or a crash.',
  timeline: [
    { atMs: 0, action: 'handshake-fuzz', count: 1_200, seed: 20_261_204, concurrency: 20, timeoutMs: 5_000 },
    { atMs: 100, action: 'open', count: 3, tokenClass: 'valid', firstUser: 900 },
  ],
  profiles: {
    full: {
      description:
        '6,000 seeded malformed upgrade requests over raw sockets; each gets a 4xx or a close, never a 5xx, a hang or a crash.',
      timeline: [
        { atMs: 0, action: 'handshake-fuzz', count: 6_000, seed: 20_261_204, concurrency: 50, timeoutMs: 5_000 },
        { atMs: 100, action: 'open', count: 3, tokenClass: 'valid', firstUser: 900 },
      ],
    },
  },
});
