// Fault: the verified user is kept in a module-level variable between verification and the
// `connection` handler, with a database query in between. Concurrent upgrades overwrite it, so a
// connection is welcomed as whichever user was verified last.
import { WebSocketServer } from 'ws';
import { createHttpServer, createPool, isTokenError, lookupStatus, readToken, sendWelcome, settings, verifyToken } from '../gallery-kit.mjs';

const pool = createPool();
pool.on('error', (err) => console.error('idle database client failed', err.message));
const server = createHttpServer(pool);

/** @type {string | null} */
let currentUser = null;

/** @param {import('node:http').IncomingMessage} req */
async function verify(req) {
  const token = readToken(req);
  if (token === null) return 401;
  try {
    const claims = await verifyToken(token);
    currentUser = claims.sub;
    return await lookupStatus(pool, claims);
  } catch (err) {
    if (isTokenError(err)) return 401;
    console.error('verification failed', String(err));
    return 503;
  }
}

const wss = new WebSocketServer({
  server,
  path: '/ws',
  verifyClient: (info, callback) => {
    verify(info.req).then((status) => (status === 0 ? callback(true) : callback(false, status)));
  },
});
wss.on('connection', (socket) => sendWelcome(socket, currentUser));

server.listen(settings.port, settings.host);
