// Fault: the pg pool has no `error` listener. When the database drops a connection that sits
// idle in the pool, pg emits `error` on the pool, nothing listens, and Node ends the process
// with an uncaught exception, taking every open connection with it.
import { WebSocketServer } from 'ws';
import { createHttpServer, createPool, createVerifyClient, sendWelcome, settings, userOf } from '../gallery-kit.mjs';

const pool = createPool();
const server = createHttpServer(pool);

const wss = new WebSocketServer({ server, path: '/ws', verifyClient: createVerifyClient(pool) });
wss.on('connection', (socket, req) => sendWelcome(socket, userOf(req)));

server.listen(settings.port, settings.host);
