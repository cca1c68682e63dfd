// Fault: the per-user rate limiter checks the count, awaits the permission lookup, and then
// writes back the count it read plus one. Upgrades that arrive during one lookup all read the
// same old count, so a burst for one user passes the limit and most increments are lost.
import { WebSocketServer } from 'ws';
import { createHttpServer, createPool, isTokenError, lookupStatus, readToken, rememberUser, sendWelcome, settings, userOf, verifyToken } from '../gallery-kit.mjs';

const LIMIT = Number(process.env.RATE_LIMIT_POINTS ?? 5);
const WINDOW_MS = Number(process.env.RATE_LIMIT_DURATION_S ?? 10) * 1_000;

const pool = createPool();
pool.on('error', (err) => console.error('idle database client failed', err.message));
const server = createHttpServer(pool);

/** Upgrades per user in the current window. */
const windows = new Map();

/** @param {import('node:http').IncomingMessage} req */
async function check(req) {
  const token = readToken(req);
  if (token === null) return { status: 401, userId: null };
  let claims;
  try {
    claims = await verifyToken(token);
  } catch (err) {
    if (isTokenError(err)) return { status: 401, userId: null };
    throw err;
  }
  const now = Date.now();
  const window = windows.get(claims.sub) ?? { count: 0, startedAt: now };
  if (now - window.startedAt > WINDOW_MS) Object.assign(window, { count: 0, startedAt: now });
  if (window.count >= LIMIT) return { status: 429, userId: null };
  const status = await lookupStatus(pool, claims);
  windows.set(claims.sub, { count: window.count + 1, startedAt: window.startedAt });
  return { status, userId: claims.sub };
}

const wss = new WebSocketServer({
  server,
  path: '/ws',
  verifyClient: (info, callback) => {
    check(info.req).then(
      ({ status, userId }) => {
        if (status === 429 || status === 503) return callback(false, status, undefined, { 'Retry-After': '10' });
        if (status !== 0) return callback(false, status);
        rememberUser(info.req, String(userId));
        callback(true);
      },
      (err) => {
        console.error('verification failed', String(err));
        callback(false, 503, undefined, { 'Retry-After': '1' });
      },
    );
  },
});
wss.on('connection', (socket, req) => sendWelcome(socket, userOf(req)));

server.listen(settings.port, settings.host);
