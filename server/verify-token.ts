import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import type { ServerConfig } from './config.ts';
import { KeySetUnavailableError } from './errors.ts';

/** The claims the server uses from a verified token. */
export interface TokenClaims {
  /** User id. */
  sub: string;
  /** Token id, checked against `revoked_tokens`. */
  jti: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

/** Result of verifying a token: its claims, or the rejection class and a short reason. */
export type TokenVerdict =
  | { ok: true; claims: TokenClaims }
  | { ok: false; rejection: 'invalid' | 'expired'; reason: string };

export type TokenVerifier = (token: string) => Promise<TokenVerdict>;

/**
 * Creates a JWT verifier: length limit, signature, algorithm allow-list, `iss`, `aud`, `exp` and
 * `nbf` (with the clock tolerance), and the presence of `sub`, `jti` and `exp`. The key is the
 * HMAC secret, the RSA public key or the key set at JWKS_URL, whichever the config contains.
 * `loadConfig` pins the allow-list to that key's type. jose rejects an `alg` outside the list
 * (`none` included) before it checks the signature. Failures from jose become verdicts. A key
 * set that cannot be fetched throws KeySetUnavailableError; anything else is a bug and is
 * rethrown.
 */
export function createTokenVerifier(jwt: ServerConfig['jwt']): TokenVerifier {
  const key = verificationKey(jwt);
  const options: JWTVerifyOptions = {
    algorithms: jwt.algorithms,
    issuer: jwt.issuer,
    audience: jwt.audience,
    clockTolerance: jwt.clockToleranceS,
    requiredClaims: ['sub', 'jti', 'exp'],
  };

  return async (token) => {
    // Checked before decoding, so a huge token costs no base64 or JSON work.
    if (Buffer.byteLength(token) > jwt.maxTokenBytes) {
      return { ok: false, rejection: 'invalid', reason: `token longer than ${jwt.maxTokenBytes} bytes` };
    }
    try {
      const { payload } = await jwtVerify(token, key, options);
      return toVerdict(payload);
    } catch (err) {
      if (!(err instanceof errors.JOSEError)) throw err;
      return { ok: false, rejection: isExpiry(err) ? 'expired' : 'invalid', reason: err.code };
    }
  };
}

function verificationKey(jwt: ServerConfig['jwt']): Uint8Array | KeyObject | JWTVerifyGetKey {
  if (jwt.jwksUrl !== null) return remoteKeySet(jwt.jwksUrl, jwt);
  if (jwt.publicKey !== null) return createPublicKey({ key: jwt.publicKey, format: 'pem' });
  if (jwt.secret !== null) return new TextEncoder().encode(jwt.secret);
  throw new Error('JWT config has neither a secret nor a public key; build it with loadConfig');
}

/**
 * Creates jose's remote key set for `url` (fetched on the first token, again once
 * `jwksCacheMaxAgeMs` has passed, and for an unknown `kid` at most every 30 s). A failed
 * fetch becomes KeySetUnavailableError, because the token is not at fault. A key set that
 * loaded but has no key for the token stays a JOSE error, so the token gets 401.
 */
function remoteKeySet(url: string, jwt: ServerConfig['jwt']): JWTVerifyGetKey {
  const keySet = createRemoteJWKSet(new URL(url), {
    cacheMaxAge: jwt.jwksCacheMaxAgeMs,
    timeoutDuration: jwt.jwksTimeoutMs,
  });
  return async (protectedHeader, token) => {
    try {
      return await keySet(protectedHeader, token);
    } catch (err) {
      if (isTokenKeyMismatch(err)) throw err;
      throw new KeySetUnavailableError(`fetching the key set from JWKS_URL failed: ${describe(err)}`, { cause: err });
    }
  };
}

/** Errors that blame the token's header, not the key set's availability. */
function isTokenKeyMismatch(err: unknown): boolean {
  return (
    err instanceof errors.JWKSNoMatchingKey ||
    err instanceof errors.JWKSMultipleMatchingKeys ||
    err instanceof errors.JOSENotSupported ||
    err instanceof errors.JWSInvalid
  );
}

function describe(err: unknown): string {
  if (err instanceof errors.JWKSTimeout) return 'timed out';
  return err instanceof Error ? err.message : String(err);
}

/** Returns a short SHA-256 prefix that identifies a token in logs without revealing it. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

function isExpiry(err: errors.JOSEError): boolean {
  if (err instanceof errors.JWTExpired) return true;
  return err instanceof errors.JWTClaimValidationFailed && err.claim === 'nbf';
}

function toVerdict(payload: JWTPayload): TokenVerdict {
  const { sub, jti, exp } = payload;
  if (typeof sub !== 'string' || sub === '') return { ok: false, rejection: 'invalid', reason: 'sub is not a string' };
  if (typeof jti !== 'string' || jti === '') return { ok: false, rejection: 'invalid', reason: 'jti is not a string' };
  if (typeof exp !== 'number') return { ok: false, rejection: 'invalid', reason: 'exp is not a number' };
  return { ok: true, claims: { sub, jti, exp } };
}
