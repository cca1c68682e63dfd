import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ATTACK_TOKEN_CLASSES, TOKEN_CLASSES } from '../model/scenario.ts';
import type { TargetConfig, TargetFixtures } from '../model/target-config.ts';
import { editAlgorithm, mintToken, OVERSIZED_TOKEN_CHARS, TOKEN_CLASS_OUTCOMES, validUserId } from './mint-token.ts';

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
const JWT: TargetConfig['jwt'] = {
  issuer: 'issuer-a',
  audience: 'audience-a',
  secret: 'test-secret-of-at-least-32-bytes-long',
  algorithm: 'HS256',
  publicKey: null,
  privateKey: null,
};
const CONFIG = { jwt: JWT, fixtures: FIXTURES, name: 'hs-target' };
const RSA = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const RSA_CONFIG = {
  jwt: { ...JWT, algorithm: 'RS256' as const, publicKey: RSA.publicKey, privateKey: RSA.privateKey },
  fixtures: FIXTURES,
  name: 'rs-target',
};

/** Splits a compact JWS into its decoded header, its payload and its signature text. */
function parts(token: string | null) {
  const [header = '', payload = '', signature = ''] = (token ?? '').split('.');
  return { header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>, payload, signature };
}
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
    expect(Object.keys(TOKEN_CLASS_OUTCOMES).sort()).toEqual([...TOKEN_CLASSES, ...ATTACK_TOKEN_CLASSES].sort());
  });

  it.each(ATTACK_TOKEN_CLASSES)('expects %s to be rejected as invalid', (tokenClass) => {
    expect(TOKEN_CLASS_OUTCOMES[tokenClass]).toEqual({ reject: 'invalid' });
  });
});

describe('mintToken attack classes', () => {
  it('alg-none has no signature and valid claims', async () => {
    const minted = await mintToken('alg-none', 2, CONFIG, NOW_S);
    const { header, signature } = parts(minted.token);

    expect(header).toEqual({ alg: 'none' });
    expect(signature).toBe('');
    expect(decodeJwt(minted.token ?? '')).toMatchObject({ sub: 'user-0002', iss: 'issuer-a', aud: 'audience-a' });
    expect(minted.userId).toBe('user-0002');
  });

  it('alg-confusion is HS256 keyed with the public key text', async () => {
    const minted = await mintToken('alg-confusion', 1, RSA_CONFIG, NOW_S);
    const { payload } = await jwtVerify(minted.token ?? '', new TextEncoder().encode(RSA.publicKey), { algorithms: ['HS256'] });

    expect(parts(minted.token).header.alg).toBe('HS256');
    expect(payload.sub).toBe('user-0001');
  });

  it('alg-confusion without a public key names the field', async () => {
    await expect(mintToken('alg-confusion', 1, CONFIG, NOW_S)).rejects.toMatchObject({
      code: 'WUC_ERR_TARGET_CONFIG_INVALID',
      message: expect.stringContaining('Token class "alg-confusion" cannot be minted for target "hs-target"'),
    });
    await expect(mintToken('alg-confusion', 1, CONFIG, NOW_S)).rejects.toThrow(/the config has no jwt\.publicKey/);
  });

  it('alg-edited keeps payload and signature of a valid token', async () => {
    const minted = await mintToken('alg-edited', 1, RSA_CONFIG, NOW_S);
    const { header, payload, signature } = parts(minted.token);
    const restored = editAlgorithm(minted.token ?? '', 'RS256');
    const publicKey = await importSPKI(RSA.publicKey, 'RS256');

    expect(header.alg).toBe('RS512');
    expect(payload.length).toBeGreaterThan(0);
    expect(signature.length).toBeGreaterThan(0);
    expect((await jwtVerify(restored, publicKey, { algorithms: ['RS256'] })).payload.sub).toBe('user-0001');
  });

  it('alg-edited on an HS256 target claims HS512', async () => {
    const minted = await mintToken('alg-edited', 1, CONFIG, NOW_S);

    expect(parts(minted.token).header.alg).toBe('HS512');
    await expect(verify(editAlgorithm(minted.token ?? '', 'HS256'))).resolves.toMatchObject({ payload: { sub: 'user-0001' } });
  });

  it('oversized is correctly signed and at least 12 KiB', async () => {
    const minted = await mintToken('oversized', 1, CONFIG, NOW_S);
    const length = minted.token?.length ?? 0;

    expect(length).toBeGreaterThanOrEqual(OVERSIZED_TOKEN_CHARS);
    expect(length).toBeLessThan(14_000);
    expect((await verify(minted.token)).payload.sub).toBe('user-0001');
  });

  it('invalid-bytes carries bytes outside base64url', async () => {
    const minted = await mintToken('invalid-bytes', 1, CONFIG, NOW_S);
    const token = minted.token ?? '';

    expect(token.split('.').length).toBe(3);
    expect(token).toMatch(/\u00ff\u00fe\u00c3/);
    await expect(verify(token)).rejects.toMatchObject({ code: 'ERR_JWS_INVALID' });
  });

  it('invalid-bytes over the subprotocol transport names the transport', async () => {
    await expect(mintToken('invalid-bytes', 1, { ...CONFIG, tokenTransport: 'subprotocol' }, NOW_S)).rejects.toThrow(
      /tokenTransport "subprotocol" allows only RFC 9110 token characters/,
    );
  });

  it('signs valid RS256 tokens with the private key', async () => {
    const minted = await mintToken('valid', 4, RSA_CONFIG, NOW_S);
    const publicKey = await importSPKI(RSA.publicKey, 'RS256');

    expect(parts(minted.token).header.alg).toBe('RS256');
    expect((await jwtVerify(minted.token ?? '', publicKey, { algorithms: ['RS256'] })).payload.sub).toBe('user-0004');
  });

  it('RS256 without a private key names the field', async () => {
    const config = { ...CONFIG, jwt: { ...JWT, algorithm: 'RS256' as const } };

    await expect(mintToken('valid', 1, config, NOW_S)).rejects.toThrow(/signs RS256 tokens but has no jwt\.privateKey/);
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
