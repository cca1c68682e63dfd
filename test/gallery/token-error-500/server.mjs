// Fault: every failure of the token check gets the status of a server error. A bad, expired or
// foreign token is the client's problem and gets 401; here it gets 500, so clients retry a
// token that can never work and monitoring counts client mistakes as outages.
import { WebSocketServer } from 'ws';
import { createHttpServer, createPool, lookupStatus, readToken, rememberUser, sendWelcome, settings, userOf, verifyToken } from '../gallery-kit.mjs';

const pool = createPool();
pool.on('error', (err) => console.error('idle database client failed', err.message));
const server = createHttpServer(pool);

/** @param {import('node:http').IncomingMessage} req */
async function check(req) {
  const token = readToken(req);
  if (token === null) return { status: 401, userId: null };
  const claims = await verifyToken(token);
  return { status: await lookupStatus(pool, claims), userId: claims.sub };
}

const wss = new WebSocketServer({
  server,
  path: '/ws',
  verifyClient: (info, callback) => {
    check(info.req).then(
      ({ status, userId }) => {
        if (status !== 0) return callback(false, status);
        rememberUser(info.req, String(userId));
        callback(true);
      },
      (err) => {
        console.error('verification failed', String(err));
        callback(false, 500);
      },
    );
  },
});
wss.on('connection', (socket, req) => sendWelcome(socket, userOf(req)));

server.listen(settings.port, settings.host);
