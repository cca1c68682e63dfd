// Shared parts of the gallery servers: the token check, the permission lookup and the HTTP
// server with /readyz. Each gallery server adds its one fault around these on purpose, so the
// parts here stay correct and small.
import http from 'node:http';
import { errors, jwtVerify } from 'jose';
import pg from 'pg';

/**
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {{ status: number; userId: string | null }} UpgradeCheck
 * @typedef {(verified: boolean, code?: number, message?: string, headers?: Record<string, string>) => void} VerifyCallback
 * @typedef {{ req: IncomingMessage }} VerifyInfo
 */

/** Environment the harness sets for every target. */
export const settings = {
  port: Number(process.env.PORT),
  host: process.env.HOST ?? '127.0.0.1',
  databaseUrl: process.env.DATABASE_URL ?? '',
  key: new TextEncoder().encode(process.env.JWT_SECRET ?? ''),
  issuer: process.env.JWT_ISSUER,
  audience: process.env.JWT_AUDIENCE,
  verifyTimeoutMs: Number(process.env.VERIFY_TIMEOUT_MS ?? 5_000),
};

/**
 * Creates a pool without an `error` listener, so each server decides whether to add one. Idle
 * clients close after 2 s, so the harness's leak check finds the pool back at its baseline soon.
 */
export function createPool() {
  return new pg.Pool({ connectionString: settings.databaseUrl, max: 10, idleTimeoutMillis: 2_000 });
}

/** Users of accepted upgrades, by request, for the `connection` handler. */
const acceptedUsers = new WeakMap();

/**
 * Remembers the user of an upgrade that is about to be accepted.
 * @param {IncomingMessage} req
 * @param {string} userId
 */
export function rememberUser(req, userId) {
  acceptedUsers.set(req, userId);
}

/**
 * The user `rememberUser` stored for a request.
 * @param {IncomingMessage} req
 * @returns {string}
 */
export function userOf(req) {
  return acceptedUsers.get(req);
}

/**
 * Reads the bearer token of an upgrade request, or null.
 * @param {IncomingMessage} req
 */
export function readToken(req) {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}

/**
 * Verifies a token and returns its claims; throws a jose error when it is not acceptable.
 * @param {string} token
 * @returns {Promise<{ sub: string; jti: string }>}
 */
export async function verifyToken(token) {
  const { payload } = await jwtVerify(token, settings.key, {
    algorithms: ['HS256'],
    issuer: settings.issuer,
    audience: settings.audience,
    requiredClaims: ['sub', 'jti', 'exp'],
  });
  return { sub: String(payload.sub), jti: String(payload.jti) };
}

/**
 * True for the failures of `verifyToken` that mean the token is bad, not the server.
 * @param {unknown} err
 */
export function isTokenError(err) {
  return err instanceof errors.JOSEError;
}

const LOOKUP_SQL = `
SELECT u.id IS NOT NULL AS "exists", coalesce(u.disabled, false) AS "disabled",
  EXISTS (SELECT 1 FROM permissions p WHERE p.user_id = $1 AND p.channel = 'lobby') AS "permitted",
  EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = $2) AS "revoked"
FROM (SELECT 1) AS one LEFT JOIN users u ON u.id = $1`;

/**
 * Status for a verified token's database facts: 0 when the user may join, else 401 or 403.
 * @param {pg.Pool | pg.PoolClient} queryable
 * @param {{ sub: string; jti: string }} claims
 */
export async function lookupStatus(queryable, claims) {
  const { rows } = await queryable.query(LOOKUP_SQL, [claims.sub, claims.jti]);
  const facts = rows[0];
  if (!facts.exists) return 401;
  if (facts.disabled || !facts.permitted || facts.revoked) return 403;
  return 0;
}

/**
 * An HTTP server whose /readyz answers 200 once the database answers.
 * @param {pg.Pool} pool
 */
export function createHttpServer(pool) {
  return http.createServer((req, res) => {
    if (req.url !== '/readyz') return res.writeHead(404).end();
    pool.query('SELECT 1').then(
      () => res.writeHead(200).end(),
      () => res.writeHead(503).end(),
    );
  });
}

/**
 * Sends the identity message the gallery target configs declare.
 * @param {import('ws').WebSocket} socket
 * @param {string | null} userId
 */
export function sendWelcome(socket, userId) {
  socket.send(JSON.stringify({ type: 'welcome', userId }));
}

/**
 * The correct check of one upgrade: `{ status: 0, userId }` to accept, or the policy status.
 * A database failure rejects; the caller answers it.
 * @param {pg.Pool} pool
 * @param {IncomingMessage} req
 * @returns {Promise<UpgradeCheck>}
 */
export async function checkUpgrade(pool, req) {
  const token = readToken(req);
  if (token === null) return { status: 401, userId: null };
  let claims;
  try {
    claims = await verifyToken(token);
  } catch (err) {
    if (isTokenError(err)) return { status: 401, userId: null };
    throw err;
  }
  return { status: await lookupStatus(pool, claims), userId: claims.sub };
}

/**
 * `checkUpgrade` bounded by the verification deadline: past it the answer is 503.
 * @param {pg.Pool} pool
 * @param {IncomingMessage} req
 * @returns {Promise<UpgradeCheck>}
 */
export function checkUpgradeInTime(pool, req) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  /** @type {Promise<UpgradeCheck>} */
  const deadline = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ status: 503, userId: null }), settings.verifyTimeoutMs);
  });
  return Promise.race([checkUpgrade(pool, req), deadline]).finally(() => clearTimeout(timer));
}

/**
 * A correct callback-style `verifyClient`: one callback call on every path, 503 with Retry-After
 * when the database fails. `check` decides; it defaults to the bounded check.
 * @param {pg.Pool} pool
 * @param {(pool: pg.Pool, req: IncomingMessage) => Promise<UpgradeCheck>} check
 */
export function createVerifyClient(pool, check = checkUpgradeInTime) {
  /** @type {(info: VerifyInfo, callback: VerifyCallback) => void} */
  return (info, callback) => {
    check(pool, info.req).then(
      ({ status, userId }) => {
        if (status !== 0) return reject(callback, status);
        rememberUser(info.req, String(userId));
        callback(true);
      },
      (err) => {
        console.error('verification failed', String(err));
        reject(callback, 503);
      },
    );
  };
}

/**
 * @param {VerifyCallback} callback
 * @param {number} status
 */
function reject(callback, status) {
  callback(false, status, undefined, status === 503 ? { 'Retry-After': '1' } : {});
}
