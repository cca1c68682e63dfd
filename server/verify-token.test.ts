import { exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { createTokenVerifier, type TokenVerifier } from './verify-token.ts';

const BASE_ENV = {
  DATABASE_URL: 'postgres://app:password@127.0.0.1:5432/app',
  JWT_SECRET: 'hmac-secret-of-the-verify-token-test-0123456789',
};
const ISSUER = 'ws-upgrade-chaos';
const AUDIENCE = 'ws-upgrade-chaos-clients';

let privateKey: CryptoKey;
let publicPem: string;
let rsaVerify: TokenVerifier;
let hmacVerify: TokenVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  publicPem = await exportSPKI(pair.publicKey);
  rsaVerify = createTokenVerifier(loadConfig({ ...BASE_ENV, JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: publicPem }).jwt);
  hmacVerify = createTokenVerifier(loadConfig(BASE_ENV).jwt);
});

function claims<T extends SignJWT | UnsecuredJWT>(builder: T): T {
  const nowS = Math.floor(Date.now() / 1000);
  builder
    .setSubject('user-0001')
    .setJti('jti-1')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(nowS - 60)
    .setExpirationTime(nowS + 3600);
  return builder;
}

function signRs256(extra: Record<string, unknown> = {}): Promise<string> {
  return claims(new SignJWT(extra)).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(privateKey);
}

/** Replaces the `alg` of a compact JWS header and keeps payload and signature as they are. */
function editAlgorithm(token: string, alg: string): string {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const decoded = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
  const edited = Buffer.from(JSON.stringify({ ...decoded, alg })).toString('base64url');
  return `${edited}.${payload}.${signature}`;
}

describe('createTokenVerifier with RS256', () => {
  it('accepts a token signed with the private key', async () => {
    const verdict = await rsaVerify(await signRs256());

    expect(verdict).toMatchObject({ ok: true, claims: { sub: 'user-0001', jti: 'jti-1' } });
  });

  it('rejects an unsigned alg none token', async () => {
    const token = claims(new UnsecuredJWT({})).encode();

    expect(token.endsWith('.')).toBe(true);
    expect(await rsaVerify(token)).toEqual({ ok: false, rejection: 'invalid', reason: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });

  it('rejects HS256 keyed with the public key text', async () => {
    const token = await claims(new SignJWT({}))
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(publicPem));

    expect(await rsaVerify(token)).toEqual({ ok: false, rejection: 'invalid', reason: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });

  it('rejects an edited alg with the signature kept', async () => {
    const original = await signRs256();

    expect(await rsaVerify(editAlgorithm(original, 'RS512'))).toEqual({
      ok: false,
      rejection: 'invalid',
      reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
    });
    expect(await rsaVerify(editAlgorithm(original, 'HS256'))).toMatchObject({ ok: false, rejection: 'invalid' });
  });

  it('rejects a signature under an allowed but edited alg', async () => {
    const verify = createTokenVerifier(
      loadConfig({ ...BASE_ENV, JWT_ALGORITHMS: 'RS256,RS512', JWT_PUBLIC_KEY: publicPem }).jwt,
    );
    const edited = editAlgorithm(await signRs256(), 'RS512');

    expect(await verify(edited)).toEqual({ ok: false, rejection: 'invalid', reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  it('rejects a token longer than the limit before decoding', async () => {
    const token = await signRs256({ padding: 'x'.repeat(9_000) });

    expect(Buffer.byteLength(token)).toBeGreaterThan(8_192);
    expect(await rsaVerify(token)).toEqual({ ok: false, rejection: 'invalid', reason: 'token longer than 8192 bytes' });
  });
});

describe('createTokenVerifier with HS256', () => {
  it('rejects an RS256 token', async () => {
    expect(await hmacVerify(await signRs256())).toEqual({ ok: false, rejection: 'invalid', reason: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });

  it('rejects an unsigned alg none token', async () => {
    const token = claims(new UnsecuredJWT({})).encode();

    expect(await hmacVerify(token)).toEqual({ ok: false, rejection: 'invalid', reason: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });

  it('accepts a token signed with the secret', async () => {
    const token = await claims(new SignJWT({}))
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(BASE_ENV.JWT_SECRET));

    expect(await hmacVerify(token)).toMatchObject({ ok: true, claims: { sub: 'user-0001' } });
  });
});
