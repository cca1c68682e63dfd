// Fault: verification has no deadline. The upgrade waits as long as the permission query does,
// so a stalled database turns into clients that hang instead of a prompt 503 they can retry.
import { WebSocketServer } from 'ws';
import { checkUpgrade, createHttpServer, createPool, createVerifyClient, sendWelcome, settings, userOf } from '../gallery-kit.mjs';

const pool = createPool();
pool.on('error', (err) => console.error('idle database client failed', err.message));
const server = createHttpServer(pool);

const wss = new WebSocketServer({ server, path: '/ws', verifyClient: createVerifyClient(pool, checkUpgrade) });
wss.on('connection', (socket, req) => sendWelcome(socket, userOf(req)));

server.listen(settings.port, settings.host);
