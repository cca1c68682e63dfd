import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { databaseUnavailable } from './database.ts';
import { extractToken, queryParameters, type TokenTransport } from './extract-token.ts';
import { lookupAccess } from './lookup-access.ts';
import { PhaseTimings } from './phase-timings.ts';
import type { RejectionClass } from './policy.ts';
import { tokenFingerprint, type TokenVerifier } from './verify-token.ts';

/** Channel joined when the request names none. */
export const DEFAULT_CHANNEL = 'lobby';

/** The authenticated user of one connection. */
export interface UpgradeIdentity {
  userId: string;
  jti: string;
  /** Token expiry, in ms since the epoch. */
  expiresAtMs: number;
  channel: string;
  transport: TokenTransport;
}

/**
 * Decision on one upgrade request. `detail` and `tokenHash` are for logs only and never reach
 * the client; `tokenHash` is a short SHA-256 prefix of the token, null when there was none.
 */
export type UpgradeDecision =
  | { kind: 'accept'; identity: UpgradeIdentity }
  | {
      kind: 'reject';
      rejection: RejectionClass;
      retryAfterS: number | null;
      detail: string;
      userId: string | null;
      tokenHash: string | null;
    };

export interface AuthenticateDependencies {
  verifyToken: TokenVerifier;
  /** In memory, or in Postgres with `RATE_LIMIT_STORE=postgres`. */
  rateLimiter: Pick<RateLimiterAbstract, 'consume'>;
  pool: pg.Pool;
  /** Origins that may upgrade; null allows every origin. */
  allowedOrigins: ReadonlySet<string> | null;
}

/**
 * Decides one upgrade with guard clauses in a fixed order: extract the token, verify the JWT,
 * consume a rate limit point for the user, look up permission. Each failed guard returns its
 * rejection class. Throws `DatabaseUnavailableError` when the lookup or a Postgres rate limit
 * store fails, and the abort reason when `signal` fired before a step that would otherwise
 * still run. Each phase's duration goes into `timings`.
 */
export async function authenticateUpgrade(
  req: IncomingMessage,
  dependencies: AuthenticateDependencies,
  signal: AbortSignal,
  timings: PhaseTimings = new PhaseTimings(),
): Promise<UpgradeDecision> {
  // The origin is checked before the token. A page on a foreign site that opens a WebSocket with
  // the victim's cookie (cross-site WebSocket hijacking) then learns nothing about that token
  // from a 401 or 403. It also spends none of the victim's rate limit points or lookups.
  const origin = req.headers.origin;
  if (origin !== undefined && dependencies.allowedOrigins !== null && !dependencies.allowedOrigins.has(origin)) {
    return reject('forbidden', 'origin not allowed');
  }

  const extracted = extractToken(req);
  if (extracted.token === null) return reject(extracted.rejection, extracted.detail);
  const token = extracted.token;
  const tokenHash = tokenFingerprint(token);

  const verdict = await timings.measure('token', () => dependencies.verifyToken(token));
  if (!verdict.ok) return reject(verdict.rejection, verdict.reason, { tokenHash });
  const { sub: userId, jti, exp } = verdict.claims;

  signal.throwIfAborted();
  const retryAfterS = await timings.measure('limit', () => consumeRateLimitPoint(dependencies.rateLimiter, userId));
  if (retryAfterS !== null) return reject('rateLimited', 'rate limit reached', { tokenHash, userId, retryAfterS });

  signal.throwIfAborted();
  const channel = queryParameters(req.url).get('channel') ?? DEFAULT_CHANNEL;
  const access = await timings.measure('lookup', () => lookupAccess(dependencies.pool, { userId, channel, jti }, signal));
  if (!access.userExists) return reject('invalid', 'unknown user', { tokenHash, userId });
  if (access.disabled) return reject('forbidden', 'user disabled', { tokenHash, userId });
  if (access.revoked) return reject('forbidden', 'token revoked', { tokenHash, userId });
  if (!access.permitted) return reject('forbidden', 'no permission on channel', { tokenHash, userId });

  const identity = { userId, jti, expiresAtMs: exp * 1000, channel, transport: extracted.transport };
  return { kind: 'accept', identity };
}

/**
 * Returns null when a point was consumed, else the seconds until one frees up (at least 1).
 * Throws `DatabaseUnavailableError` when the limiter's store fails.
 */
async function consumeRateLimitPoint(
  limiter: AuthenticateDependencies['rateLimiter'],
  userId: string,
): Promise<number | null> {
  try {
    await limiter.consume(userId);
    return null;
  } catch (rejection) {
    // The limiter rejects with a RateLimiterRes, not an Error, when the user is over the limit,
    // and with the store's own error (a pg error for Postgres) when the store fails.
    if (!(rejection instanceof RateLimiterRes)) throw databaseUnavailable('rate limit check', rejection);
    return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  }
}

function reject(
  rejection: RejectionClass,
  detail: string,
  extra: { tokenHash?: string; userId?: string; retryAfterS?: number } = {},
): UpgradeDecision {
  return {
    kind: 'reject',
    rejection,
    retryAfterS: extra.retryAfterS ?? null,
    detail,
    userId: extra.userId ?? null,
    tokenHash: extra.tokenHash ?? null,
  };
}
