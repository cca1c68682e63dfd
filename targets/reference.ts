import { generateKeyPairSync } from 'node:crypto';
import { defineTarget } from '../harness/target/define-target.ts';

// A fresh RSA key pair per load, so scenarios that switch the server to RS256 (algorithm-pinning)
// can sign tokens and give the server its public key. Tokens stay HS256 unless a scenario sets
// `setup.jwtAlgorithm`.
const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

// The reference server's config, written the way a user writes one for their own server.
export default defineTarget({
  command: ['node', '--import', 'tsx', 'server/main.ts'],
  cwd: '..',
  schemaFile: '../server/schema.sql',
  // Idle pool connections close after 500 ms instead of the server's default 30 s, so the leak
  // check after each scenario finds the pool back at its baseline soon after the last attempt.
  // Scenarios that warm the pool before a fault keep connections for 1 s through their targetEnv.
  env: { PG_IDLE_TIMEOUT_MS: '500' },
  jwt: { publicKey: rsa.publicKey, privateKey: rsa.privateKey },
  identity: { messageType: 'welcome', userIdField: 'userId' },
  settingsEnv: { verifyTimeoutMs: 'VERIFY_TIMEOUT_MS', shutdownGraceMs: 'SHUTDOWN_GRACE_MS', jwtAlgorithms: 'JWT_ALGORITHMS' },
  shutdown: { signal: 'SIGTERM', graceMs: 10_000 },
});
