// Fault: `verifyClient` is an async function. ws calls it with a callback and ignores the promise
// it returns, so a throw inside it rejects that promise and the callback is never called. The
// process-wide `unhandledRejection` logger keeps the process alive, which is worse: the client
// waits for a response that never comes.
import { WebSocketServer } from 'ws';
import { createHttpServer, createPool, lookupStatus, readToken, rememberUser, sendWelcome, settings, userOf, verifyToken } from '../gallery-kit.mjs';

process.on('unhandledRejection', (reason) => {
  console.error('unhandled rejection', reason instanceof Error ? reason.message : reason);
});

const pool = createPool();
pool.on('error', (err) => console.error('idle database client failed', err.message));
const server = createHttpServer(pool);

const wss = new WebSocketServer({
  server,
  path: '/ws',
  /** @type {(info: import('../gallery-kit.mjs').VerifyInfo, callback: import('../gallery-kit.mjs').VerifyCallback) => Promise<void>} */
  verifyClient: async (info, callback) => {
    const token = readToken(info.req);
    if (token === null) return callback(false, 401);
    // A bad token makes verifyToken throw here, and the client never gets a response.
    const claims = await verifyToken(token);
    const status = await lookupStatus(pool, claims);
    if (status !== 0) return callback(false, status);
    rememberUser(info.req, claims.sub);
    callback(true);
  },
});
wss.on('connection', (socket, req) => sendWelcome(socket, userOf(req)));

server.listen(settings.port, settings.host);
