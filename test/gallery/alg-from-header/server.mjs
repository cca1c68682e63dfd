// Fault: the token check takes the algorithm from the token's own header instead of an
// allow-list. `alg: none` skips the signature, and `HS256` makes the RSA public key's PEM text
// the HMAC secret, which anyone can read. Both forged tokens are accepted as their `sub`.
import { createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { WebSocketServer } from 'ws';
import { createHttpServer, createPool, lookupStatus, readToken, rememberUser, sendWelcome, settings, userOf } from '../gallery-kit.mjs';

const publicPem = process.env.JWT_PUBLIC_KEY ?? '';
const publicKey = createPublicKey(publicPem);
const pool = createPool();
pool.on('error', (err) => console.error('idle database client failed', err.message));
const server = createHttpServer(pool);

/**
 * Verifies with whatever the header names: the fault of this server.
 * @param {string} token
 */
async function verifyTrustingHeader(token) {
  const { alg = '' } = decodeProtectedHeader(token);
  const checks = { issuer: settings.issuer, audience: settings.audience, requiredClaims: ['sub', 'jti', 'exp'] };
  if (alg === 'none') return decodeJwt(token);
  const key = alg.startsWith('HS') ? new TextEncoder().encode(publicPem) : publicKey;
  const { payload } = await jwtVerify(token, key, { ...checks, algorithms: [alg] });
  return payload;
}

/** @param {import('node:http').IncomingMessage} req */
async function check(req) {
  const token = readToken(req);
  if (token === null) return { status: 401, userId: null };
  let claims;
  try {
    claims = await verifyTrustingHeader(token);
  } catch (err) {
    if (err instanceof errors.JOSEError || err instanceof TypeError) return { status: 401, userId: null };
    throw err;
  }
  const sub = String(claims.sub);
  return { status: await lookupStatus(pool, { sub, jti: String(claims.jti) }), userId: sub };
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
        callback(false, 503, undefined, { 'Retry-After': '1' });
      },
    );
  },
});
wss.on('connection', (socket, req) => sendWelcome(socket, userOf(req)));

server.listen(settings.port, settings.host);
