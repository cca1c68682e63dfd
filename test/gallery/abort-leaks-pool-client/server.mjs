// Fault: when the client goes away during verification, the server stops early and skips the
// `release()` of the pool client it checked out. Each aborted upgrade keeps one of the ten pool
// clients forever, so after ten aborts every later upgrade waits for a client that never frees.
import { WebSocketServer } from 'ws';
import { createHttpServer, createPool, isTokenError, lookupStatus, readToken, rememberUser, sendWelcome, settings, userOf, verifyToken } from '../gallery-kit.mjs';

const pool = createPool();
pool.on('error', (err) => console.error('idle database client failed', err.message));
const server = createHttpServer(pool);

/**
 * Checks one upgrade, or returns null when the client left during the lookup.
 * @param {import('node:http').IncomingMessage} req
 */
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
  let aborted = false;
  // The upgrade socket is half-open capable, so a client that leaves shows up as `end` first.
  const markAborted = () => {
    aborted = true;
  };
  req.socket.once('end', markAborted).once('close', markAborted);
  const client = await pool.connect();
  const status = await lookupStatus(client, claims);
  // The early return skips the release below, so the pool client never returns to the pool.
  if (aborted) return null;
  client.release();
  return { status, userId: claims.sub };
}

const wss = new WebSocketServer({
  server,
  path: '/ws',
  verifyClient: (info, callback) => {
    check(info.req).then(
      (result) => {
        if (result === null) return;
        const { status, userId } = result;
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
