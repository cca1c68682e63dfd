import type { ScenarioDefinition } from '../harness/model/scenario.ts';
import algorithmPinning from './algorithm-pinning.ts';
import badTokensBurst from './bad-tokens-burst.ts';
import dbOutage from './db-outage.ts';
import dbResetMidQuery from './db-reset-mid-query.ts';
import connectTimeoutWaves from './connect-timeout-waves.ts';
import dbFailoverCheckedOut from './db-failover-checked-out.ts';
import clientAbortMidVerification from './client-abort-mid-verification.ts';
import resetInAsyncWindow from './reset-in-async-window.ts';
import handshakeFuzz from './handshake-fuzz.ts';
import concurrency100 from './concurrency-100.ts';
import databaseDownNoAdmit from './database-down-no-admit.ts';
import failingTokens from './failing-tokens.ts';
import idleAtShutdown from './idle-at-shutdown.ts';
import latencyDirection from './latency-direction.ts';
import originAllowList from './origin-allow-list.ts';
import identityReordering from './identity-reordering.ts';
import rateLimitNoisyClient from './rate-limit-noisy-client.ts';
import rateLimitSlowLookup from './rate-limit-slow-lookup.ts';
import restartReconnectStorm from './restart-reconnect-storm.ts';
import shutdownMidVerification from './shutdown-mid-verification.ts';
import shutdownQueuedQueries from './shutdown-queued-queries.ts';
import slowDb from './slow-db.ts';
import slowPhaseMatrix from './slow-phase-matrix.ts';
import tokenAttacks from './token-attacks.ts';
import tokenExpiryClose from './token-expiry-close.ts';
import verificationTimeout from './verification-timeout.ts';

/** The default suite, in run order. */
export const SCENARIOS: readonly ScenarioDefinition[] = [
  failingTokens,
  concurrency100,
  slowDb,
  verificationTimeout,
  shutdownMidVerification,
  badTokensBurst,
  databaseDownNoAdmit,
  idleAtShutdown,
  shutdownQueuedQueries,
  identityReordering,
  rateLimitSlowLookup,
  rateLimitNoisyClient,
  tokenExpiryClose,
  clientAbortMidVerification,
  latencyDirection,
  tokenAttacks,
  algorithmPinning,
  originAllowList,
  handshakeFuzz,
  resetInAsyncWindow,
  slowPhaseMatrix,
  restartReconnectStorm,
  dbFailoverCheckedOut,
  connectTimeoutWaves,
  dbResetMidQuery,
  dbOutage,
];
