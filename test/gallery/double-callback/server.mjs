// Fault: the verification callback is called twice. `callback(true)` runs the `connection`
// handler synchronously, and the user is attached to the request only after it, so the handler
// throws. The catch then calls the callback again with 500, and ws writes an HTTP response into
// the socket it has just upgraded. The client sees 101 and no welcome. Then come bytes that are
// not a WebSocket frame, and the connection ends without a close frame.
import { WebSocketServer } from 'ws';
import { checkUpgradeInTime, createHttpServer, createPool, sendWelcome, settings } from '../gallery-kit.mjs';

const pool = createPool();
pool.on('error', (err) => console.error('idle database client failed', err.message));
const server = createHttpServer(pool);

const wss = new WebSocketServer({
  server,
  path: '/ws',
  verifyClient: (info, callback) => {
    checkUpgradeInTime(pool, info.req)
      .then(({ status, userId }) => {
        if (status !== 0) return callback(false, status);
        callback(true);
        /** @type {{ user?: { id: string | null } }} */ (info.req).user = { id: userId };
      })
      .catch((err) => {
        console.error('verification failed', String(err));
        callback(false, 500);
      });
  },
});
// `user` is still undefined here, so reading `id` throws into the caller of callback(true).
wss.on('connection', (socket, req) => {
  const { user } = /** @type {{ user?: { id: string | null } }} */ (req);
  sendWelcome(socket, /** @type {{ id: string | null }} */ (user).id);
});

server.listen(settings.port, settings.host);
