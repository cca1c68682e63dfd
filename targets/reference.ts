import { defineTarget } from '../harness/target/define-target.ts';

// The reference server's config, written the way a user writes one for their own server.
export default defineTarget({
  command: ['node', '--import', 'tsx', 'server/main.ts'],
  cwd: '..',
  schemaFile: '../server/schema.sql',
  identity: { messageType: 'welcome', userIdField: 'userId' },
  settingsEnv: { verifyTimeoutMs: 'VERIFY_TIMEOUT_MS', shutdownGraceMs: 'SHUTDOWN_GRACE_MS' },
  shutdown: { signal: 'SIGTERM', graceMs: 10_000 },
});
