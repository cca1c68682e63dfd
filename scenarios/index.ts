import type { ScenarioDefinition } from '../harness/model/scenario.ts';
import concurrency100 from './concurrency-100.ts';
import failingTokens from './failing-tokens.ts';
import shutdownMidVerification from './shutdown-mid-verification.ts';
import slowDb from './slow-db.ts';
import verificationTimeout from './verification-timeout.ts';

/** The default suite, in run order. */
export const SCENARIOS: readonly ScenarioDefinition[] = [
  failingTokens,
  concurrency100,
  slowDb,
  verificationTimeout,
  shutdownMidVerification,
];
