import { defineTarget } from '../harness/target/define-target.ts';

// The reference server's config, written the way a user writes one for their own server.
export default defineTarget({
  command: ['node', '--import', 'tsx', 'server/main.ts'],
  cwd: '..',
  schemaFile: '../server/schema.sql',
  // Idle pool connections close after 2 s instead of the server's default 30 s, so the leak check
  // after each scenario sees the pool back at its baseline within its settle time.
  env: { PG_IDLE_TIMEOUT_MS: '2000' },
  identity: { messageType: 'welcome', userIdField: 'userId' },
  settingsEnv: { verifyTimeoutMs: 'VERIFY_TIMEOUT_MS', shutdownGraceMs: 'SHUTDOWN_GRACE_MS' },
  shutdown: { signal: 'SIGTERM', graceMs: 10_000 },
});
