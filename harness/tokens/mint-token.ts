import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { HarnessError } from '../errors.ts';
import type { JwtAlgorithm, TargetConfig, TargetFixtures } from '../model/target-config.ts';
import type { ExpectedOutcome, TokenClass } from '../model/scenario.ts';

/** A token for one attempt, and the user it names. `token` is null for the `missing` class. */
export interface MintedToken {
  token: string | null;
  userId: string | null;
}

const HOUR_S = 3600;

/** Secret for the `bad-signature` class: never the target's. */
const FOREIGN_SECRET = new TextEncoder().encode('a-different-secret-the-target-never-saw-0123456789');

/** The outcome each token class must get when nothing else interferes. */
export const TOKEN_CLASS_OUTCOMES: Record<TokenClass, ExpectedOutcome> = {
  valid: { accept: true },
  missing: { reject: 'missing' },
  malformed: { reject: 'invalid' },
  'bad-signature': { reject: 'invalid' },
  expired: { reject: 'expired' },
  'not-yet-valid': { reject: 'expired' },
  'wrong-issuer': { reject: 'invalid' },
  'wrong-audience': { reject: 'invalid' },
  'unknown-user': { reject: 'invalid' },
  'no-permission': { reject: 'forbidden' },
  'disabled-user': { reject: 'forbidden' },
  revoked: { reject: 'forbidden' },
  'alg-none': { reject: 'invalid' },
  'alg-confusion': { reject: 'invalid' },
  'alg-edited': { reject: 'invalid' },
  oversized: { reject: 'invalid' },
  'invalid-bytes': { reject: 'invalid' },
};

/**
 * Minimum length of an `oversized` token, in characters. Node's default limit for the whole
 * request header block is 16 KiB (`http.maxHeaderSize`), so a 12 KiB token still reaches the
 * target's token check instead of getting 431 from the HTTP parser.
 */
export const OVERSIZED_TOKEN_CHARS = 12_288;

/** The `alg` an `alg-edited` token claims instead of the one it was signed with. */
const EDITED_ALGORITHM: Readonly<Record<JwtAlgorithm, string>> = { HS256: 'HS512', RS256: 'RS512' };

/** The target settings a token class may need: keys, claims, fixtures and the transport. */
export type MintConfig = Pick<TargetConfig, 'jwt' | 'fixtures'> & Partial<Pick<TargetConfig, 'tokenTransport' | 'name'>>;

/** Formats the user id of valid user number `n` (1-based) as the target's schema names it. */
export function validUserId(fixtures: TargetFixtures, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > fixtures.validUserCount) {
    throw new RangeError(
      `valid user number ${n} is outside 1..${fixtures.validUserCount}; ` +
        'lower the attempt count or raise fixtures.validUserCount in the target config',
    );
  }
  return fixtures.validUserPrefix + String(n).padStart(fixtures.validUserDigits, '0');
}

/**
 * Signs a token of `tokenClass` for valid user number `userNumber` with `config.jwt.algorithm`.
 * `ttlS` sets how long a `valid` token lives after `nowS`; the other classes keep their fixed
 * claims. Throws WUC_ERR_TARGET_CONFIG_INVALID for a class the config cannot mint (such as
 * `alg-confusion` without `jwt.publicKey`).
 */
export async function mintToken(
  tokenClass: TokenClass,
  userNumber: number,
  config: MintConfig,
  nowS: number = Math.floor(Date.now() / 1000),
  ttlS: number = HOUR_S,
): Promise<MintedToken> {
  if (!Number.isInteger(ttlS) || ttlS < 1) {
    throw new HarnessError(
      'WUC_ERR_SCENARIO_INVALID',
      `token lifetime ${ttlS} s is invalid: set tokenTtlS to a whole number of seconds, 1 or more`,
    );
  }
  const { fixtures } = config;
  const signingKey = signingKeyOf(config);
  const sign = (claims: ClaimOverrides, key: SigningKey = signingKey) =>
    signToken(claims, key, config.jwt, nowS).then((token) => ({ token, userId: claims.sub }));
  const sub = validUserId(fixtures, userNumber);

  switch (tokenClass) {
    case 'valid':
      return sign({ sub, expInS: ttlS });
    case 'missing':
      return { token: null, userId: null };
    case 'malformed':
      return { token: 'not-a-jwt', userId: null };
    case 'bad-signature':
      return sign({ sub }, { algorithm: 'HS256', key: FOREIGN_SECRET });
    case 'expired':
      return sign({ sub, expInS: -HOUR_S });
    case 'not-yet-valid':
      return sign({ sub, nbfInS: HOUR_S });
    case 'wrong-issuer':
      return sign({ sub, iss: `${config.jwt.issuer}-other` });
    case 'wrong-audience':
      return sign({ sub, aud: `${config.jwt.audience}-other` });
    case 'unknown-user':
      return sign({ sub: fixtures.unknownUserId });
    case 'no-permission':
      return sign({ sub: fixtures.noPermissionUserId });
    case 'disabled-user':
      return sign({ sub: fixtures.disabledUserId });
    case 'revoked':
      return sign({ sub, jti: fixtures.revokedTokenId });
    case 'alg-none':
      return { token: unsignedToken({ sub }, config.jwt, nowS), userId: sub };
    case 'alg-confusion':
      return sign({ sub }, { algorithm: 'HS256', key: new TextEncoder().encode(requirePublicKey(config, tokenClass)) });
    case 'alg-edited': {
      const minted = await sign({ sub });
      return { token: editAlgorithm(minted.token, EDITED_ALGORITHM[signingKey.algorithm]), userId: sub };
    }
    case 'oversized':
      return sign({ sub, padding: 'x'.repeat(Math.ceil((OVERSIZED_TOKEN_CHARS * 3) / 4)) });
    case 'invalid-bytes': {
      requireHeaderTransport(config, tokenClass);
      const minted = await sign({ sub });
      return { token: insertInvalidBytes(minted.token), userId: sub };
    }
  }
}

/**
 * Throws the error `mintToken` would throw for `tokenClass` under `config`, without signing, so
 * a runner can reject a scenario before it starts the target.
 */
export function checkMintable(tokenClass: TokenClass, config: MintConfig): void {
  signingKeyOf(config);
  if (tokenClass === 'alg-confusion') requirePublicKey(config, tokenClass);
  if (tokenClass === 'invalid-bytes') requireHeaderTransport(config, tokenClass);
}

interface SigningKey {
  algorithm: JwtAlgorithm;
  key: Uint8Array | KeyObject;
}

function signingKeyOf(config: MintConfig): SigningKey {
  const { jwt } = config;
  if (jwt.algorithm === 'HS256') return { algorithm: 'HS256', key: new TextEncoder().encode(jwt.secret) };
  if (jwt.privateKey === null) {
    throw new HarnessError(
      'WUC_ERR_TARGET_CONFIG_INVALID',
      `Target ${describeTarget(config)} signs RS256 tokens but has no jwt.privateKey; ` +
        'add jwt.publicKey and jwt.privateKey (an RSA key pair as PEM) to the target config',
    );
  }
  return { algorithm: 'RS256', key: createPrivateKey(jwt.privateKey) };
}

function requirePublicKey(config: MintConfig, tokenClass: TokenClass): string {
  if (config.jwt.publicKey !== null) return config.jwt.publicKey;
  throw new HarnessError(
    'WUC_ERR_TARGET_CONFIG_INVALID',
    `Token class "${tokenClass}" cannot be minted for target ${describeTarget(config)}: it is signed ` +
      'with HS256 keyed by the RSA public key text, and the config has no jwt.publicKey; add ' +
      'jwt.publicKey and jwt.privateKey (an RSA key pair as PEM) or drop the class from the scenario',
  );
}

/** Bytes above 0x7f cannot be sent in a `Sec-WebSocket-Protocol` value, which ws checks. */
function requireHeaderTransport(config: MintConfig, tokenClass: TokenClass): void {
  if (config.tokenTransport !== 'subprotocol') return;
  throw new HarnessError(
    'WUC_ERR_TARGET_CONFIG_INVALID',
    `Token class "${tokenClass}" cannot be sent to target ${describeTarget(config)}: tokenTransport ` +
      '"subprotocol" allows only RFC 9110 token characters; drop the class or use another tokenTransport',
  );
}

function describeTarget(config: MintConfig): string {
  return config.name === undefined ? '(unnamed)' : `"${config.name}"`;
}

interface ClaimOverrides {
  sub: string;
  iss?: string;
  aud?: string;
  jti?: string;
  /** Seconds relative to now. */
  expInS?: number;
  nbfInS?: number;
  /** Filler claim that makes the token long. */
  padding?: string;
}

async function signToken(
  claims: ClaimOverrides,
  signingKey: SigningKey,
  jwt: TargetConfig['jwt'],
  nowS: number,
): Promise<string> {
  const builder = withClaims(new SignJWT(claims.padding === undefined ? {} : { padding: claims.padding }), claims, jwt, nowS);
  return builder.setProtectedHeader({ alg: signingKey.algorithm, typ: 'JWT' }).sign(signingKey.key);
}

/** Builds `header.payload.` with `{"alg":"none"}` and valid claims (RFC 7519 section 6.1). */
function unsignedToken(claims: ClaimOverrides, jwt: TargetConfig['jwt'], nowS: number): string {
  return withClaims(new UnsecuredJWT({}), claims, jwt, nowS).encode();
}

function withClaims<T extends SignJWT | UnsecuredJWT>(builder: T, claims: ClaimOverrides, jwt: TargetConfig['jwt'], nowS: number): T {
  builder
    .setSubject(claims.sub)
    .setIssuer(claims.iss ?? jwt.issuer)
    .setAudience(claims.aud ?? jwt.audience)
    .setJti(claims.jti ?? randomUUID())
    .setIssuedAt(nowS + Math.min(0, claims.expInS ?? 0) - 60)
    .setExpirationTime(nowS + (claims.expInS ?? HOUR_S));
  if (claims.nbfInS !== undefined) builder.setNotBefore(nowS + claims.nbfInS);
  return builder;
}

/** Replaces the `alg` of a compact JWS header and keeps payload and signature byte for byte. */
export function editAlgorithm(token: string, algorithm: string): string {
  const [header = '', ...rest] = token.split('.');
  const decoded = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
  return [Buffer.from(JSON.stringify({ ...decoded, alg: algorithm })).toString('base64url'), ...rest].join('.');
}

/**
 * Puts Latin-1 bytes that base64url never contains (0xFF, 0xFE, 0xC3) in the middle of the
 * payload. Node's HTTP client sends them as raw bytes, which a strict decoder must reject.
 * 0x85 and 0xA0 are left out, because JavaScript's `\s` matches them and a server's header
 * parser could split the token there.
 */
function insertInvalidBytes(token: string): string {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const middle = Math.floor(payload.length / 2);
  return `${header}.${payload.slice(0, middle)}\u00ff\u00fe\u00c3${payload.slice(middle)}.${signature}`;
}
