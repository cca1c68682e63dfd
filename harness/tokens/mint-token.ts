import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { HarnessError } from '../errors.ts';
import type { TargetConfig, TargetFixtures } from '../model/target-config.ts';
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
};

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

interface ClaimOverrides {
  sub: string;
  iss?: string;
  aud?: string;
  jti?: string;
  /** Seconds relative to now. */
  expInS?: number;
  nbfInS?: number;
}

/**
 * Signs a token of `tokenClass` for valid user number `userNumber`. `ttlS` sets how long a
 * `valid` token lives after `nowS`; the other classes keep their fixed claims.
 */
export async function mintToken(
  tokenClass: TokenClass,
  userNumber: number,
  config: Pick<TargetConfig, 'jwt' | 'fixtures'>,
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
  const secret = new TextEncoder().encode(config.jwt.secret);
  const sign = (claims: ClaimOverrides, key: Uint8Array = secret) =>
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
      return sign({ sub }, FOREIGN_SECRET);
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
  }
}

async function signToken(
  claims: ClaimOverrides,
  key: Uint8Array,
  jwt: TargetConfig['jwt'],
  nowS: number,
): Promise<string> {
  const builder = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(claims.iss ?? jwt.issuer)
    .setAudience(claims.aud ?? jwt.audience)
    .setJti(claims.jti ?? randomUUID())
    .setIssuedAt(nowS + Math.min(0, claims.expInS ?? 0) - 60)
    .setExpirationTime(nowS + (claims.expInS ?? HOUR_S));
  if (claims.nbfInS !== undefined) builder.setNotBefore(nowS + claims.nbfInS);
  return builder.sign(key);
}
