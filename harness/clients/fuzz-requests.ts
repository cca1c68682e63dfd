import type { RawEndpoint } from './raw-request.ts';

/** Kinds of malformed upgrade request the fuzzer draws from, one generator each. */
export const FUZZ_KINDS = [
  'missing-key',
  'bad-key',
  'duplicate-key',
  'missing-version',
  'bad-version',
  'oversized-header',
  'token-high-bytes',
  'token-control-bytes',
  'duplicate-authorization',
  'bad-token-shape',
  'long-token',
  'bad-auth-scheme',
  'truncated',
  'bad-method',
  'bad-upgrade-header',
  'missing-connection',
  'bad-request-line',
  'bad-header-syntax',
  'conflicting-length',
  'bad-path',
] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

/** One generated request: its kind, the bytes to send, and whether to half-close after them. */
export interface FuzzRequest {
  index: number;
  kind: FuzzKind;
  bytes: Buffer;
  endAfterWrite: boolean;
}

/** Inputs every generator may use: the endpoint, valid tokens to embed, and the random source. */
interface FuzzInput {
  endpoint: RawEndpoint;
  validTokens: readonly string[];
  random: () => number;
}

/** Request parts before serialisation; `head` lines exclude the request line. */
interface RequestParts {
  method: string;
  target: string;
  version: string;
  headers: string[];
  /** Raw bytes that replace the whole head when set (for syntax faults). */
  raw?: Buffer;
  endAfterWrite?: boolean;
}

const BASE64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Node's default limit for the request head is 16 KiB; the oversized kind goes past it. */
const OVERSIZED_HEADER_MIN_BYTES = 17 * 1024;
const OVERSIZED_HEADER_MAX_BYTES = 48 * 1024;

/**
 * Generates `count` malformed upgrade requests. The kind and every random part of request `i`
 * come from `random`, so one seed gives the same sequence of kinds and shapes. Only the
 * embedded valid tokens differ between runs, because they are signed at run time.
 */
export function generateFuzzRequests(count: number, input: FuzzInput): FuzzRequest[] {
  const requests: FuzzRequest[] = [];
  for (let index = 0; index < count; index += 1) {
    const kind = FUZZ_KINDS[Math.floor(input.random() * FUZZ_KINDS.length)] ?? 'missing-key';
    const parts = GENERATORS[kind](baseRequest(input), input);
    requests.push({ index, kind, bytes: serialise(parts), endAfterWrite: parts.endAfterWrite ?? false });
  }
  return requests;
}

function baseRequest(input: FuzzInput): RequestParts {
  const { endpoint } = input;
  return {
    method: 'GET',
    target: endpoint.path,
    version: 'HTTP/1.1',
    headers: [
      `Host: ${endpoint.host}:${endpoint.port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomKey(input.random)}`,
      'Sec-WebSocket-Version: 13',
      `Authorization: Bearer ${pick(input.validTokens, input.random)}`,
    ],
  };
}

function serialise(parts: RequestParts): Buffer {
  if (parts.raw !== undefined) return parts.raw;
  const head = [`${parts.method} ${parts.target} ${parts.version}`, ...parts.headers].join('\r\n');
  return Buffer.from(`${head}\r\n\r\n`, 'latin1');
}

type Generator = (parts: RequestParts, input: FuzzInput) => RequestParts;

const GENERATORS: Record<FuzzKind, Generator> = {
  'missing-key': (parts) => without(parts, 'sec-websocket-key'),
  'bad-key': (parts, { random }) => {
    const keys = ['', 'not base64!', randomText(BASE64_CHARS, 1 + Math.floor(random() * 40), random), 'AAAA'];
    return replace(parts, 'Sec-WebSocket-Key', pick(keys, random));
  },
  'duplicate-key': (parts, { random }) => ({ ...parts, headers: [...parts.headers, `Sec-WebSocket-Key: ${randomKey(random)}`] }),
  'missing-version': (parts) => without(parts, 'sec-websocket-version'),
  'bad-version': (parts, { random }) => replace(parts, 'Sec-WebSocket-Version', pick(['7', '12', '14', 'abc', '', '13, 8', '-1'], random)),
  'oversized-header': (parts, { random }) => {
    const span = OVERSIZED_HEADER_MAX_BYTES - OVERSIZED_HEADER_MIN_BYTES;
    const size = OVERSIZED_HEADER_MIN_BYTES + Math.floor(random() * span);
    return { ...parts, headers: [...parts.headers, `X-Padding: ${'a'.repeat(size)}`] };
  },
  'token-high-bytes': (parts, { random }) => {
    const bytes = Array.from({ length: 8 + Math.floor(random() * 64) }, () => String.fromCharCode(0x80 + Math.floor(random() * 0x80)));
    return replace(parts, 'Authorization', `Bearer ${bytes.join('')}`);
  },
  'token-control-bytes': (parts, { random }) => {
    const control = String.fromCharCode(pick([0x00, 0x01, 0x08, 0x0b, 0x1f, 0x7f], random));
    return replace(parts, 'Authorization', `Bearer abc${control}def`);
  },
  'duplicate-authorization': (parts, { validTokens, random }) => {
    const second = random() < 0.5 ? pick(validTokens, random) : randomText(BASE64URL_CHARS, 40, random);
    return { ...parts, headers: [...parts.headers, `Authorization: Bearer ${second}`] };
  },
  'bad-token-shape': (parts, { random }) => {
    const segments = Array.from({ length: 1 + Math.floor(random() * 5) }, () => randomText(BASE64URL_CHARS, Math.floor(random() * 30), random));
    return replace(parts, 'Authorization', `Bearer ${segments.join('.') || 'x'}`);
  },
  'long-token': (parts, { random }) => replace(parts, 'Authorization', `Bearer ${randomText(BASE64URL_CHARS, 4_000 + Math.floor(random() * 8_000), random)}`),
  'bad-auth-scheme': (parts, { validTokens, random }) => {
    const token = pick(validTokens, random);
    return replace(parts, 'Authorization', pick([`Basic ${token}`, 'Bearer', 'Bearer ', `Token ${token}`, `Bearer ${token} extra`], random));
  },
  truncated: (parts, { random }) => {
    const whole = serialise(parts);
    const cut = 1 + Math.floor(random() * (whole.length - 2));
    return { ...parts, raw: whole.subarray(0, cut), endAfterWrite: true };
  },
  'bad-method': (parts, { random }) => ({ ...parts, method: pick(['POST', 'PUT', 'DELETE', 'OPTIONS', 'BREW'], random) }),
  'bad-upgrade-header': (parts, { random }) => replace(parts, 'Upgrade', pick(['websockets', 'h2c', 'web socket', 'WebSocket/2'], random)),
  'missing-connection': (parts) => without(parts, 'connection'),
  'bad-request-line': (parts, { random }) => {
    const lines = [`GET ${parts.target}`, `GET ${parts.target} HTTP/9.9`, `GET\t${parts.target} HTTP/1.1`, `G\x00T ${parts.target} HTTP/1.1`];
    const head = [pick(lines, random), ...parts.headers].join('\r\n');
    return { ...parts, raw: Buffer.from(`${head}\r\n\r\n`, 'latin1') };
  },
  'bad-header-syntax': (parts, { random }) => {
    const bad = pick(['NoColonHere', 'Bad Name: value', ': empty name', 'X-Fold: a\r\n folded', 'X-Nul: a\x00b'], random);
    return { ...parts, headers: [...parts.headers, bad] };
  },
  'conflicting-length': (parts) => ({ ...parts, headers: [...parts.headers, 'Content-Length: 5', 'Transfer-Encoding: chunked'] }),
  'bad-path': (parts, { random }) => ({ ...parts, target: pick(['/ws/extra', '/WS', '/ws%00', '//ws', '/ws%zz', '*'], random) }),
};

function without(parts: RequestParts, lowerName: string): RequestParts {
  return { ...parts, headers: parts.headers.filter((line) => !line.toLowerCase().startsWith(`${lowerName}:`)) };
}

function replace(parts: RequestParts, name: string, value: string): RequestParts {
  const kept = without(parts, name.toLowerCase());
  return { ...kept, headers: [...kept.headers, `${name}: ${value}`] };
}

function pick<T>(values: readonly T[], random: () => number): T {
  const value = values[Math.floor(random() * values.length)];
  if (value === undefined) throw new RangeError('pick needs a non-empty list');
  return value;
}

function randomText(alphabet: string, length: number, random: () => number): string {
  return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
}

/** Draws a well-formed key (16 bytes in base64) from `random`, so a seed fixes it. */
function randomKey(random: () => number): string {
  return Buffer.from(Array.from({ length: 16 }, () => Math.floor(random() * 256))).toString('base64');
}
