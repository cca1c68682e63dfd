import { generateKeyPairSync } from 'node:crypto';
import { defineTarget } from '../../../harness/target/define-target.ts';

// An RS256 server needs a key pair in its config; a fresh one per load keeps no key in the repository.
const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

export default defineTarget({
  name: 'alg-from-header',
  command: ['node', 'server.mjs'],
  schemaFile: '../../../server/schema.sql',
  jwt: { algorithm: 'RS256', publicKey: rsa.publicKey, privateKey: rsa.privateKey },
  identity: { messageType: 'welcome', userIdField: 'userId' },
  readyTimeoutMs: 15_000,
  shutdown: { signal: 'SIGTERM', graceMs: 5_000 },
});
