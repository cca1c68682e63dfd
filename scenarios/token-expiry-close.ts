import { defineScenario } from '../harness/model/scenario.ts';

/**
 * Guards against connections that outlive their token or end without a close frame: ten
 * connections hold tokens that expire about 2 s after issue. At 1.5 s the target's database
 * sessions are terminated, so a server that checks anything in Postgres at expiry gets a
 * Postgres error (with a string `code`) there. Each connection must still be closed by the
 * server with the token-expired code (or the internal-error code) within 3.5 s of opening, never
 * 1005 or 1006, and the server must not crash. The pool keeps its idle sessions for 10 s here,
 * so the termination hits live sessions.
 */
export default defineScenario({
  name: 'token-expiry-close',
  tags: ['tokens', 'close-codes'],
  description:
    'Ten connections whose tokens expire about 2 s after issue, with the database sessions terminated at 1.5 s, are each closed by the server with 1008 (or 1011), never 1005 or 1006.',
  setup: { targetEnv: { PG_IDLE_TIMEOUT_MS: '10000' } },
  timeline: [
    {
      atMs: 0,
      action: 'open',
      count: 10,
      tokenClass: 'valid',
      tokenTtlS: 2,
      holdMs: null,
      // Expiry is in whole seconds, so the close comes 1 to 2 s after the open.
      maxOpenMs: 3_500,
      expect: [
        { accept: true, closeClass: 'tokenExpired' },
        { accept: true, closeClass: 'internalError' },
      ],
    },
    { atMs: 1_500, action: 'terminate-backends' },
  ],
  expect: { attemptTimeoutMs: 5_000 },
});
