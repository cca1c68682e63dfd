import type { ToxicSpec } from './environment.ts';
import type { RejectionClass, ServerCloseClass } from './policy.ts';

/** Token classes the harness can mint; each maps to one expected outcome under a policy. */
export const TOKEN_CLASSES = [
  'valid',
  'missing',
  'malformed',
  'bad-signature',
  'expired',
  'not-yet-valid',
  'wrong-issuer',
  'wrong-audience',
  'unknown-user',
  'no-permission',
  'disabled-user',
  'revoked',
] as const;
export type TokenClass = (typeof TOKEN_CLASSES)[number];

/** One acceptable outcome of a connection attempt. */
export type ExpectedOutcome =
  | { accept: true; closeClass?: ServerCloseClass }
  | { reject: RejectionClass };

/** Opens `count` connection attempts of one token class. */
export interface OpenStep {
  action: 'open';
  count: number;
  tokenClass: TokenClass;
  /** Spreads the attempts evenly over this many ms instead of starting them together. @default 0 */
  spreadMs?: number;
  /** First valid user number to use; attempts use consecutive users. @default 1 */
  firstUser?: number;
  /** Whether every attempt uses the step's first user, as per-user limits need. @default false */
  sameUser?: boolean;
  /** Lifetime of `valid` tokens, in whole seconds after signing. Other classes ignore it. @default 3600 */
  tokenTtlS?: number;
  /** Outcomes any of which passes. @default derived from the token class */
  expect?: ExpectedOutcome[];
  /** Maximum time from request to response or open, in ms; later counts as `slow-reject`. */
  maxResponseMs?: number;
  /**
   * Maximum time an accepted connection may stay open before it closes, in ms; later counts as
   * `slow-reject`. For server-side closes such as token expiry.
   */
  maxOpenMs?: number;
  /** Minimum time from request to response or open, in ms: proves a latency fault reached it. */
  minResponseMs?: number;
  /**
   * How long an accepted connection stays open, in ms, before the client closes it with 1000.
   * `null` keeps it open until the server closes it. @default 0 (close right after the welcome)
   */
  holdMs?: number | null;
}

export type TimelineAction =
  | OpenStep
  | { action: 'signal'; signal: 'SIGTERM' | 'SIGINT' }
  | { action: 'add-toxic'; toxic: ToxicSpec }
  | { action: 'remove-toxic'; name: string }
  | { action: 'set-proxy-enabled'; enabled: boolean };

/**
 * Key of one observed outcome for `expect.outcomeCounts`: `accept`, or `reject:` and the
 * rejection class whose status the attempt got (for example `reject:rateLimited`).
 */
export type OutcomeKey = 'accept' | `reject:${RejectionClass}`;

/** When a step runs: a time offset from the scenario start, and optionally a condition after it. */
export interface StepTiming {
  /** Offset from the scenario start, in ms. @default 0 */
  atMs?: number;
  /** After `atMs`, also waits until this many attempts are pending (sent, no response yet). */
  whenPending?: number;
}

export type TimelineStep = TimelineAction & StepTiming;

export interface ScenarioDefinition {
  /** Kebab-case id; equals the file name. */
  name: string;
  tags: string[];
  /** One or two sentences: the fault and what passing proves. */
  description: string;
  setup?: {
    /** Toxics added before the timeline starts. */
    toxics?: ToxicSpec[];
    /** Verification deadline given to the target through its `settingsEnv`, in ms. */
    verifyTimeoutMs?: number;
    /** Shutdown grace period given to the target, in ms. */
    shutdownGraceMs?: number;
    /** Extra environment for the target. */
    targetEnv?: Record<string, string>;
  };
  timeline: TimelineStep[];
  expect?: {
    /** The target must exit by itself with this code, within the policy grace period. */
    targetExit?: { code: number };
    /** Attempt timeout: an attempt with no outcome by then is `hung`, in ms. @default 20000 */
    attemptTimeoutMs?: number;
    /**
     * Exact number of attempts per outcome over the whole timeline, for steps where either
     * outcome passes one attempt but the totals are fixed (a rate limit admits exactly N).
     */
    outcomeCounts?: Partial<Record<OutcomeKey, number>>;
  };
}

/** Identity helper that gives scenario files their types. */
export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}
