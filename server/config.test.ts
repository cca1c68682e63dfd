import { exportSPKI, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { ConfigError } from './errors.ts';

const REQUIRED = {
  DATABASE_URL: 'postgres://app:secret-password@127.0.0.1:5432/app',
  JWT_SECRET: 's'.repeat(32),
};

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...REQUIRED, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('fills every default', () => {
    expect(loadConfig(REQUIRED)).toEqual({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: REQUIRED.DATABASE_URL,
      jwt: {
        secret: REQUIRED.JWT_SECRET,
        publicKey: null,
        issuer: 'ws-upgrade-chaos',
        audience: 'ws-upgrade-chaos-clients',
        algorithms: ['HS256'],
        clockToleranceS: 5,
        maxTokenBytes: 8_192,
        jwksUrl: null,
        jwksCacheMaxAgeMs: 600_000,
        jwksTimeoutMs: 5_000,
      },
      allowedOrigins: null,
      verifyTimeoutMs: 30_000,
      shutdownGraceMs: 10_000,
      rateLimit: { points: 20, durationS: 10, store: 'memory', databaseUrl: REQUIRED.DATABASE_URL },
      pg: { poolMax: 10, connectTimeoutMs: 10_000, statementTimeoutMs: 15_000, idleTimeoutMs: 30_000 },
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...REQUIRED,
      PORT: '0',
      HOST: '::1',
      JWT_ISSUER: 'issuer-a',
      JWT_AUDIENCE: 'audience-a',
      JWT_ALGORITHMS: 'HS256, HS384',
      JWT_SECRET: 'k'.repeat(48),
      JWT_CLOCK_TOLERANCE_S: '0',
      VERIFY_TIMEOUT_MS: '2000',
      SHUTDOWN_GRACE_MS: '4000',
      RATE_LIMIT_POINTS: '3',
      RATE_LIMIT_DURATION_S: '60',
      RATE_LIMIT_STORE: 'postgres',
      RATE_LIMIT_DATABASE_URL: 'postgres://app:secret-password@127.0.0.1:6543/app',
      PG_POOL_MAX: '4',
      PG_CONNECT_TIMEOUT_MS: '0',
      PG_STATEMENT_TIMEOUT_MS: '0',
      PG_IDLE_TIMEOUT_MS: '0',
      LOG_LEVEL: 'debug',
    });

    expect(config).toMatchObject({
      port: 0,
      host: '::1',
      jwt: { issuer: 'issuer-a', audience: 'audience-a', algorithms: ['HS256', 'HS384'], clockToleranceS: 0 },
      verifyTimeoutMs: 2_000,
      shutdownGraceMs: 4_000,
      rateLimit: {
        points: 3,
        durationS: 60,
        store: 'postgres',
        databaseUrl: 'postgres://app:secret-password@127.0.0.1:6543/app',
      },
      pg: { poolMax: 4, connectTimeoutMs: 0, statementTimeoutMs: 0, idleTimeoutMs: 0 },
      logLevel: 'debug',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ ...REQUIRED, PORT: '', LOG_LEVEL: ' ' })).toMatchObject({ port: 8080, logLevel: 'info' });
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: '' }, 'DATABASE_URL is missing'],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }, 'DATABASE_URL is not a valid URL'],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://127.0.0.1/app' }, 'must start with postgres://'],
    ['JWT_SECRET', { JWT_SECRET: '' }, 'JWT_SECRET is missing'],
    ['JWT_SECRET', { JWT_SECRET: 'short' }, 'JWT_SECRET is 5 bytes long'],
    ['JWT_SECRET', { JWT_ALGORITHMS: 'HS512' }, 'needs at least 64 bytes'],
    ['JWT_ALGORITHMS', { JWT_ALGORITHMS: 'none' }, 'JWT_ALGORITHMS contains "none"'],
    ['JWT_PUBLIC_KEY', { JWT_ALGORITHMS: 'RS256' }, 'JWT_PUBLIC_KEY is missing, but JWT_ALGORITHMS lists RSA'],
    ['JWT_PUBLIC_KEY', { JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: 'not a pem' }, 'JWT_PUBLIC_KEY is not a PEM public key'],
    ['JWT_ALGORITHMS', { JWT_ALGORITHMS: 'ES256' }, 'EC and EdDSA keys are not supported'],
    ['JWT_ALGORITHMS', { JWT_ALGORITHMS: 'RS256,HS256' }, 'mixes HMAC and RSA algorithms'],
    ['JWT_MAX_TOKEN_BYTES', { JWT_MAX_TOKEN_BYTES: '20000' }, 'JWT_MAX_TOKEN_BYTES must be an integer from 256 to 16384'],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: 'https://app.example/' }, 'ALLOWED_ORIGINS contains "https://app.example/"'],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: 'app.example' }, 'not a serialized origin'],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: ' , ' }, 'ALLOWED_ORIGINS lists no origin'],
    ['JWT_ALGORITHMS', { JWT_ALGORITHMS: ' , ' }, 'JWT_ALGORITHMS lists no algorithm'],
    ['JWKS_PATH', { JWKS_PATH: '/etc/jwks.json' }, 'JWKS_PATH is set'],
    ['PORT', { PORT: '65536' }, 'PORT must be an integer from 0 to 65535'],
    ['PORT', { PORT: '-1' }, 'got "-1"'],
    ['VERIFY_TIMEOUT_MS', { VERIFY_TIMEOUT_MS: '0' }, 'VERIFY_TIMEOUT_MS must be an integer from 1'],
    ['SHUTDOWN_GRACE_MS', { SHUTDOWN_GRACE_MS: '1.5' }, 'SHUTDOWN_GRACE_MS must be an integer'],
    ['RATE_LIMIT_POINTS', { RATE_LIMIT_POINTS: '0' }, 'RATE_LIMIT_POINTS must be an integer from 1'],
    ['RATE_LIMIT_STORE', { RATE_LIMIT_STORE: 'redis' }, 'RATE_LIMIT_STORE must be memory or postgres, got "redis"'],
    ['RATE_LIMIT_DATABASE_URL', { RATE_LIMIT_DATABASE_URL: 'mysql://127.0.0.1/app' }, 'RATE_LIMIT_DATABASE_URL must start with postgres://'],
    ['PG_POOL_MAX', { PG_POOL_MAX: 'ten' }, 'PG_POOL_MAX must be an integer'],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of'],
  ])('rejects bad %s', (variable, env, message) => {
    const error = configError(env);

    expect(error.code).toBe('WUC_ERR_SERVER_CONFIG_INVALID');
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(message);
  });

  it('keeps secrets out of messages', () => {
    expect(configError({ JWT_SECRET: 'tiny-secret' }).message).not.toContain('tiny-secret');
    expect(configError({ DATABASE_URL: 'postgres//app:secret-password@host' }).message).not.toContain('secret-password');
  });

  it('reads an RS256 public key and ignores JWT_SECRET', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const config = loadConfig({ ...REQUIRED, JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: pem });

    expect(config.jwt.algorithms).toEqual(['RS256']);
    expect(config.jwt.publicKey).toBe(pem.trim());
    expect(config.jwt.secret).toBeNull();
  });

  it('reads a one-line public key with \\n escapes', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = (await exportSPKI(publicKey)).trim();
    const config = loadConfig({ ...REQUIRED, JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: pem.replaceAll('\n', '\\n') });

    expect(config.jwt.publicKey).toBe(pem);
  });

  it('reads JWKS_URL in place of a public key', () => {
    const config = loadConfig({
      ...REQUIRED,
      JWT_ALGORITHMS: 'RS256',
      JWKS_URL: 'http://127.0.0.1:9000/jwks.json',
      JWKS_CACHE_MAX_AGE_MS: '0',
      JWKS_TIMEOUT_MS: '1500',
    });

    expect(config.jwt.jwksUrl).toBe('http://127.0.0.1:9000/jwks.json');
    expect(config.jwt.jwksCacheMaxAgeMs).toBe(0);
    expect(config.jwt.jwksTimeoutMs).toBe(1_500);
    expect(config.jwt.publicKey).toBeNull();
    expect(config.jwt.secret).toBeNull();
  });

  it.each([
    [{ JWKS_URL: 'http://127.0.0.1:9000/jwks.json' }, 'JWKS_URL is set, but JWT_ALGORITHMS lists HMAC algorithms'],
    [{ JWT_ALGORITHMS: 'RS256', JWKS_URL: 'not a url' }, 'JWKS_URL is not a valid URL, got "not a url"'],
    [{ JWT_ALGORITHMS: 'RS256', JWKS_URL: 'file:///etc/jwks.json' }, 'JWKS_URL must start with http:// or https://, got file://'],
    [{ JWT_ALGORITHMS: 'RS256', JWKS_URL: 'http://127.0.0.1/j', JWT_PUBLIC_KEY: 'pem' }, 'JWKS_URL and JWT_PUBLIC_KEY are both set'],
  ])('rejects JWKS_URL case %#', (env, message) => {
    const error = configError(env);

    expect(error.variable).toBe('JWKS_URL');
    expect(error.message).toContain(message);
  });

  it('rejects an EC public key for RSA algorithms', async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const error = configError({ JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: await exportSPKI(publicKey) });

    expect(error.variable).toBe('JWT_PUBLIC_KEY');
    expect(error.message).toContain('JWT_PUBLIC_KEY holds a key of type ec');
  });

  it('reads the origin allow-list', () => {
    const config = loadConfig({ ...REQUIRED, ALLOWED_ORIGINS: 'https://app.example, http://127.0.0.1:3000' });

    expect(config.allowedOrigins).toEqual(['https://app.example', 'http://127.0.0.1:3000']);
  });
});
