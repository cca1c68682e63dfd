import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { TOKEN_CLASSES } from '../model/scenario.ts';
import type { TargetFixtures } from '../model/target-config.ts';
import { mintToken, TOKEN_CLASS_OUTCOMES, validUserId } from './mint-token.ts';

const FIXTURES: TargetFixtures = {
  validUserPrefix: 'user-',
  validUserDigits: 4,
  validUserCount: 1000,
  disabledUserId: 'user-disabled',
  noPermissionUserId: 'user-no-permission',
  unknownUserId: 'user-unknown',
  revokedTokenId: 'revoked-token-id',
  channel: 'lobby',
};
const JWT = { issuer: 'issuer-a', audience: 'audience-a', secret: 'test-secret-of-at-least-32-bytes-long' };
const CONFIG = { jwt: JWT, fixtures: FIXTURES };
const KEY = new TextEncoder().encode(JWT.secret);
const NOW_S = Math.floor(Date.now() / 1000);

async function verify(token: string | null) {
  return jwtVerify(token ?? '', KEY, { issuer: JWT.issuer, audience: JWT.audience, algorithms: ['HS256'] });
}

describe('mintToken', () => {
  it('signs a valid token for the numbered user', async () => {
    const minted = await mintToken('valid', 7, CONFIG, NOW_S);
    const { payload } = await verify(minted.token);
    expect(payload.sub).toBe('user-0007');
    expect(minted.userId).toBe('user-0007');
    expect(decodeProtectedHeader(minted.token ?? '').alg).toBe('HS256');
  });

  it('gives no token for missing', async () => {
    expect(await mintToken('missing', 1, CONFIG, NOW_S)).toEqual({ token: null, userId: null });
  });

  it('makes a malformed token without three parts', async () => {
    const minted = await mintToken('malformed', 1, CONFIG, NOW_S);
    expect(minted.token?.split('.').length).toBe(1);
  });

  it.each([
    ['bad-signature', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
    ['expired', 'ERR_JWT_EXPIRED'],
    ['not-yet-valid', 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    ['wrong-issuer', 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    ['wrong-audience', 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  ] as const)('%s fails verification with %s', async (tokenClass, code) => {
    const minted = await mintToken(tokenClass, 1, CONFIG, NOW_S);
    await expect(verify(minted.token)).rejects.toMatchObject({ code });
  });

  it.each([
    ['unknown-user', 'user-unknown'],
    ['no-permission', 'user-no-permission'],
    ['disabled-user', 'user-disabled'],
  ] as const)('%s names %s', async (tokenClass, sub) => {
    const minted = await mintToken(tokenClass, 1, CONFIG, NOW_S);
    const { payload } = await verify(minted.token);
    expect(payload.sub).toBe(sub);
  });

  it('revoked carries the revoked token id', async () => {
    const minted = await mintToken('revoked', 3, CONFIG, NOW_S);
    expect(decodeJwt(minted.token ?? '').jti).toBe('revoked-token-id');
  });

  it('sets the valid token lifetime', async () => {
    const minted = await mintToken('valid', 1, CONFIG, NOW_S, 2);
    expect(decodeJwt(minted.token ?? '').exp).toBe(NOW_S + 2);
    expect(decodeJwt((await mintToken('valid', 1, CONFIG, NOW_S)).token ?? '').exp).toBe(NOW_S + 3600);
  });

  it.each([0, 1.5])('rejects token lifetime %s s', async (ttlS) => {
    await expect(mintToken('valid', 1, CONFIG, NOW_S, ttlS)).rejects.toMatchObject({
      code: 'WUC_ERR_SCENARIO_INVALID',
      message: `token lifetime ${ttlS} s is invalid: set tokenTtlS to a whole number of seconds, 1 or more`,
    });
  });

  it('gives every class an expected outcome', () => {
    expect(Object.keys(TOKEN_CLASS_OUTCOMES).sort()).toEqual([...TOKEN_CLASSES].sort());
  });
});

describe('validUserId', () => {
  it('pads the user number', () => {
    expect(validUserId(FIXTURES, 42)).toBe('user-0042');
  });

  it('rejects a number past the fixture count', () => {
    expect(() => validUserId(FIXTURES, 1001)).toThrow(/valid user number 1001 is outside 1..1000/);
  });
});
