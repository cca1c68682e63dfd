// Fault: SIGTERM ends the process at once. Upgrades still waiting for the database get no
// response and open connections get no close frame, so clients see a reset or 1006 instead of
// 503 and 1001.
import { WebSocketServer } from 'ws';
import { createHttpServer, createPool, createVerifyClient, sendWelcome, settings, userOf } from '../gallery-kit.mjs';

const pool = createPool();
pool.on('error', (err) => console.error('idle database client failed', err.message));
const server = createHttpServer(pool);

const wss = new WebSocketServer({ server, path: '/ws', verifyClient: createVerifyClient(pool) });
wss.on('connection', (socket, req) => sendWelcome(socket, userOf(req)));

process.on('SIGTERM', () => process.exit(0));

server.listen(settings.port, settings.host);
