import { createPublicKey, type KeyObject } from 'node:crypto';
import { ConfigError } from './errors.ts';

/** Settings of the reference server, resolved from environment variables by `loadConfig`. */
export interface ServerConfig {
  /** TCP port; 0 picks any free port. @default 8080 */
  port: number;
  /** @default '127.0.0.1' */
  host: string;
  databaseUrl: string;
  jwt: {
    /** HMAC key; null when `algorithms` are RSA ones, which verify with `publicKey`. */
    secret: string | null;
    /** RSA public key as PEM (SPKI); null when `algorithms` are HMAC ones. */
    publicKey: string | null;
    /** @default 'ws-upgrade-chaos' */
    issuer: string;
    /** @default 'ws-upgrade-chaos-clients' */
    audience: string;
    /** @default ['HS256'] */
    algorithms: string[];
    /** Allowed clock skew for `exp` and `nbf`, in seconds. @default 5 */
    clockToleranceS: number;
    /** Maximum token length, in bytes; a longer token is rejected before it is decoded. @default 8192 */
    maxTokenBytes: number;
    /** URL of a JSON Web Key Set with the RSA keys, used in place of `publicKey`. @default null */
    jwksUrl: string | null;
    /**
     * Time a fetched key set is used before the next token fetches it again, in ms; 0 fetches
     * it for every token. @default 600000
     */
    jwksCacheMaxAgeMs: number;
    /** Time allowed for one key set fetch, in ms. @default 5000 */
    jwksTimeoutMs: number;
  };
  /**
   * Values of the `Origin` header that may upgrade; a request without `Origin` always may.
   * null allows every origin. @default null
   */
  allowedOrigins: string[] | null;
  /** Deadline for the whole upgrade verification, in ms. @default 30000 */
  verifyTimeoutMs: number;
  /** Time from a shutdown signal until the process gives up and exits 1, in ms. @default 10000 */
  shutdownGraceMs: number;
  rateLimit: {
    /** Upgrades allowed per user within one window. @default 20 */
    points: number;
    /** Window length, in seconds. @default 10 */
    durationS: number;
    /** Store of the counters: this process's memory, or a table in Postgres. @default 'memory' */
    store: RateLimitStore;
    /** Postgres for the `postgres` store; its own pool. @default the value of DATABASE_URL */
    databaseUrl: string;
  };
  pg: {
    /** @default 10 */
    poolMax: number;
    /** Wait for a new connection or a free pool client, in ms; 0 waits forever. @default 10000 */
    connectTimeoutMs: number;
    /** Postgres `statement_timeout`, in ms; 0 disables it. @default 15000 */
    statementTimeoutMs: number;
    /** Time an idle pool client stays open, in ms; 0 keeps it until shutdown. @default 30000 */
    idleTimeoutMs: number;
  };
  /** @default 'info' */
  logLevel: string;
}

export const RATE_LIMIT_STORES = ['memory', 'postgres'] as const;
export type RateLimitStore = (typeof RATE_LIMIT_STORES)[number];

/** Largest delay `setTimeout` accepts, in ms. */
const MAX_TIMER_MS = 2_147_483_647;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** HMAC algorithms and the minimum key size RFC 7518 section 3.2 gives each, in bytes. */
const HMAC_KEY_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };

/** RSA signature algorithms (RFC 7518 sections 3.3 and 3.5); each verifies with an RSA public key. */
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

const OTHER_ASYMMETRIC_ALGORITHM = /^ES(256|384|512)$|^EdDSA$|^Ed25519$/;

/** Node's default limit for the whole request header block is 16 KiB, so longer tokens never arrive. */
const MAX_TOKEN_BYTES_LIMIT = 16_384;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the server's environment variables. Throws `ConfigError` naming the first
 * invalid variable and how to fix it. Empty values count as unset.
 */
export function loadConfig(env: Env): ServerConfig {
  rejectUnsupportedKeySources(env);
  const algorithms = readAlgorithms(env);
  const usesRsa = algorithms.every((algorithm) => RSA_ALGORITHMS.includes(algorithm));
  const jwksUrl = readJwksUrl(env, usesRsa);
  const databaseUrl = readDatabaseUrl(env, 'DATABASE_URL');

  return {
    port: readInteger(env, 'PORT', 8080, 0, 65_535, '0 picks any free port'),
    host: readString(env, 'HOST', '127.0.0.1'),
    databaseUrl,
    jwt: {
      secret: usesRsa ? null : readSecret(env, algorithms),
      publicKey: usesRsa && jwksUrl === null ? readPublicKey(env) : null,
      issuer: readString(env, 'JWT_ISSUER', 'ws-upgrade-chaos'),
      audience: readString(env, 'JWT_AUDIENCE', 'ws-upgrade-chaos-clients'),
      algorithms,
      clockToleranceS: readInteger(env, 'JWT_CLOCK_TOLERANCE_S', 5, 0, 86_400),
      maxTokenBytes: readInteger(env, 'JWT_MAX_TOKEN_BYTES', 8_192, 256, MAX_TOKEN_BYTES_LIMIT),
      jwksUrl,
      jwksCacheMaxAgeMs: readInteger(env, 'JWKS_CACHE_MAX_AGE_MS', 600_000, 0, MAX_TIMER_MS, '0 fetches for every token'),
      jwksTimeoutMs: readInteger(env, 'JWKS_TIMEOUT_MS', 5_000, 1, MAX_TIMER_MS),
    },
    allowedOrigins: readOrigins(env),
    verifyTimeoutMs: readInteger(env, 'VERIFY_TIMEOUT_MS', 30_000, 1, MAX_TIMER_MS),
    shutdownGraceMs: readInteger(env, 'SHUTDOWN_GRACE_MS', 10_000, 1, MAX_TIMER_MS),
    rateLimit: {
      points: readInteger(env, 'RATE_LIMIT_POINTS', 20, 1, 1_000_000_000),
      durationS: readInteger(env, 'RATE_LIMIT_DURATION_S', 10, 1, 31_536_000),
      store: readRateLimitStore(env),
      databaseUrl: valueOf(env, 'RATE_LIMIT_DATABASE_URL') === undefined
        ? databaseUrl
        : readDatabaseUrl(env, 'RATE_LIMIT_DATABASE_URL'),
    },
    pg: {
      poolMax: readInteger(env, 'PG_POOL_MAX', 10, 1, 10_000),
      connectTimeoutMs: readInteger(env, 'PG_CONNECT_TIMEOUT_MS', 10_000, 0, MAX_TIMER_MS, '0 waits forever'),
      statementTimeoutMs: readInteger(env, 'PG_STATEMENT_TIMEOUT_MS', 15_000, 0, MAX_TIMER_MS, '0 disables it'),
      idleTimeoutMs: readInteger(env, 'PG_IDLE_TIMEOUT_MS', 30_000, 0, MAX_TIMER_MS, '0 keeps idle clients'),
    },
    logLevel: readLogLevel(env),
  };
}

function valueOf(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function readString(env: Env, name: string, fallback: string): string {
  return valueOf(env, name) ?? fallback;
}

function readInteger(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  zeroMeaning?: string,
): number {
  const raw = valueOf(env, name);
  if (raw === undefined) return fallback;

  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isSafeInteger(value) && value >= min && value <= max) return value;

  const note = zeroMeaning === undefined ? '' : ` (${zeroMeaning})`;
  throw new ConfigError(
    name,
    `${name} must be an integer from ${min} to ${max}${note}, got ${JSON.stringify(raw)}; ` +
      `set ${name} to such a number or unset it for the default ${fallback}`,
  );
}

function readDatabaseUrl(env: Env, name: string): string {
  const raw = valueOf(env, name);
  const example = 'postgres://user:password@127.0.0.1:5432/database';
  if (raw === undefined) {
    throw new ConfigError(name, `${name} is missing; set it to a Postgres URL such as ${example}`);
  }

  // The value is left out of these messages because it usually contains a password.
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `${name} is not a valid URL (value hidden); use the form ${example}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(
      name,
      `${name} must start with postgres:// or postgresql://, got ${url.protocol}//; use the form ${example}`,
    );
  }
  return raw;
}

function readRateLimitStore(env: Env): RateLimitStore {
  const raw = valueOf(env, 'RATE_LIMIT_STORE') ?? 'memory';
  const store = RATE_LIMIT_STORES.find((candidate) => candidate === raw);
  if (store !== undefined) return store;
  throw new ConfigError(
    'RATE_LIMIT_STORE',
    `RATE_LIMIT_STORE must be ${RATE_LIMIT_STORES.join(' or ')}, got ${JSON.stringify(raw)}; unset it for memory`,
  );
}

/**
 * Reads the algorithm allow-list. It must name one key type: HMAC algorithms verify with
 * JWT_SECRET, RSA ones with JWT_PUBLIC_KEY. A mixed list is rejected, because a verifier that
 * accepts both would let a token signed with HMAC under the public key's PEM text pass (the
 * algorithm confusion attack). `none` is never accepted.
 */
function readAlgorithms(env: Env): string[] {
  const raw = valueOf(env, 'JWT_ALGORITHMS') ?? 'HS256';
  const algorithms = raw.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const supported = `${Object.keys(HMAC_KEY_BYTES).join(', ')} or ${RSA_ALGORITHMS.join(', ')}`;

  for (const algorithm of algorithms) {
    if (HMAC_KEY_BYTES[algorithm] !== undefined || RSA_ALGORITHMS.includes(algorithm)) continue;
    const hint = OTHER_ASYMMETRIC_ALGORITHM.test(algorithm)
      ? 'EC and EdDSA keys are not supported, only RSA public keys'
      : 'it is not a JWS algorithm this server accepts';
    throw new ConfigError(
      'JWT_ALGORITHMS',
      `JWT_ALGORITHMS contains ${JSON.stringify(algorithm)}: ${hint}; use a comma list of ${supported}`,
    );
  }
  if (algorithms.length === 0) {
    throw new ConfigError('JWT_ALGORITHMS', `JWT_ALGORITHMS lists no algorithm; use a comma list of ${supported}`);
  }

  const rsaCount = algorithms.filter((algorithm) => RSA_ALGORITHMS.includes(algorithm)).length;
  if (rsaCount > 0 && rsaCount < algorithms.length) {
    throw new ConfigError(
      'JWT_ALGORITHMS',
      `JWT_ALGORITHMS mixes HMAC and RSA algorithms (${algorithms.join(', ')}); list only HMAC ` +
        'algorithms (key JWT_SECRET) or only RSA algorithms (key JWT_PUBLIC_KEY)',
    );
  }
  return [...new Set(algorithms)];
}

/**
 * Reads JWT_PUBLIC_KEY, an RSA public key in PEM (SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`).
 * A literal `\n` is taken as a line break, so the key fits on one line of an env file.
 */
function readPublicKey(env: Env): string {
  const raw = valueOf(env, 'JWT_PUBLIC_KEY');
  const fix = 'set it to the PEM text of the RSA public key that verifies the tokens (-----BEGIN PUBLIC KEY-----)';
  if (raw === undefined) {
    throw new ConfigError('JWT_PUBLIC_KEY', `JWT_PUBLIC_KEY is missing, but JWT_ALGORITHMS lists RSA algorithms; ${fix}`);
  }

  const pem = raw.replaceAll('\\n', '\n');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError('JWT_PUBLIC_KEY', `JWT_PUBLIC_KEY is not a PEM public key (${reason}); ${fix}`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ConfigError(
      'JWT_PUBLIC_KEY',
      `JWT_PUBLIC_KEY holds a key of type ${key.asymmetricKeyType ?? 'unknown'}, but JWT_ALGORITHMS lists RSA algorithms; ${fix}`,
    );
  }
  return pem;
}

/**
 * Reads JWKS_URL, an http or https URL of a JSON Web Key Set. It replaces JWT_PUBLIC_KEY, so
 * setting both is rejected, and it contains public keys only, so the algorithms must be RSA ones.
 */
function readJwksUrl(env: Env, usesRsa: boolean): string | null {
  const raw = valueOf(env, 'JWKS_URL');
  if (raw === undefined) return null;

  const example = 'http://127.0.0.1:9000/.well-known/jwks.json';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('JWKS_URL', `JWKS_URL is not a valid URL, got ${JSON.stringify(raw)}; use the form ${example}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('JWKS_URL', `JWKS_URL must start with http:// or https://, got ${url.protocol}//; use the form ${example}`);
  }
  if (!usesRsa) {
    throw new ConfigError('JWKS_URL', 'JWKS_URL is set, but JWT_ALGORITHMS lists HMAC algorithms; set JWT_ALGORITHMS to RS256 or unset JWKS_URL');
  }
  if (valueOf(env, 'JWT_PUBLIC_KEY') !== undefined) {
    throw new ConfigError('JWKS_URL', 'JWKS_URL and JWT_PUBLIC_KEY are both set; keep one key source and unset the other');
  }
  return raw;
}

/** Reads ALLOWED_ORIGINS, a comma list of origins such as `https://app.example`; unset allows all. */
function readOrigins(env: Env): string[] | null {
  const raw = valueOf(env, 'ALLOWED_ORIGINS');
  if (raw === undefined) return null;

  const origins = raw.split(',').map((part) => part.trim()).filter((part) => part !== '');
  for (const origin of origins) {
    let parsed: URL | null;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = null;
    }
    // An origin is scheme, host and port only (RFC 6454 section 6.2), which URL.origin renders.
    if (parsed === null || parsed.origin === 'null' || parsed.origin !== origin) {
      throw new ConfigError(
        'ALLOWED_ORIGINS',
        `ALLOWED_ORIGINS contains ${JSON.stringify(origin)}, which is not a serialized origin; ` +
          'use a comma list such as https://app.example,http://127.0.0.1:3000 (no path, no trailing slash)',
      );
    }
  }
  if (origins.length === 0) {
    throw new ConfigError('ALLOWED_ORIGINS', 'ALLOWED_ORIGINS lists no origin; list origins or unset it to allow all');
  }
  return [...new Set(origins)];
}

function readSecret(env: Env, algorithms: string[]): string {
  const secret = env.JWT_SECRET ?? '';
  const minBytes = Math.max(...algorithms.map((algorithm) => HMAC_KEY_BYTES[algorithm] ?? 0));
  if (secret === '') {
    throw new ConfigError(
      'JWT_SECRET',
      `JWT_SECRET is missing; set it to the HMAC key tokens are signed with, at least ${minBytes} bytes`,
    );
  }

  const bytes = Buffer.byteLength(secret);
  if (bytes < minBytes) {
    throw new ConfigError(
      'JWT_SECRET',
      `JWT_SECRET is ${bytes} bytes long (value hidden), but ${algorithms.join(', ')} needs at least ` +
        `${minBytes} bytes (RFC 7518 section 3.2); use a longer random secret`,
    );
  }
  return secret;
}

function readLogLevel(env: Env): string {
  const level = valueOf(env, 'LOG_LEVEL') ?? 'info';
  if (LOG_LEVELS.includes(level)) return level;
  throw new ConfigError(
    'LOG_LEVEL',
    `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}; unset it for info`,
  );
}

// TODO: keys from a JWKS file or a key file path (JWKS_PATH, JWT_PUBLIC_KEY_PATH) are not loaded yet.
function rejectUnsupportedKeySources(env: Env): void {
  for (const name of ['JWKS_PATH', 'JWT_PUBLIC_KEY_PATH']) {
    if (valueOf(env, name) === undefined) continue;
    throw new ConfigError(
      name,
      `${name} is set, but this server reads keys only from JWT_SECRET or JWT_PUBLIC_KEY (PEM text); unset ${name}`,
    );
  }
}
