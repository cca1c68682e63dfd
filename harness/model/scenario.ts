import type { ToxicSpec } from './environment.ts';
import type { RejectionClass, ServerCloseClass } from './policy.ts';
import type { ScenarioProfiles } from './profile.ts';
import type { JwtAlgorithm } from './target-config.ts';

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

/**
 * Token classes that attack the signature check or the parser. They are kept apart from
 * TOKEN_CLASSES because `alg-confusion` can be minted only for a target with an RSA key pair.
 */
export const ATTACK_TOKEN_CLASSES = ['alg-none', 'alg-confusion', 'alg-edited', 'oversized', 'invalid-bytes'] as const;

export type TokenClass = (typeof TOKEN_CLASSES)[number] | (typeof ATTACK_TOKEN_CLASSES)[number];

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
  /** `Origin` header of the upgrade request, as a browser sends it. @default none */
  origin?: string;
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
  /**
   * Minimum duration per verification phase, in ms, that every attempt of the step must report
   * in its `Server-Timing` header (for example `{ lookup: 400 }`). Proves that a fault injected
   * at one phase slowed that phase; a shorter or missing phase is a `fault-not-exercised` finding.
   */
  minPhaseMs?: Record<string, number>;
  /** Makes each attempt a client that reconnects with backoff (see ReconnectPolicy). */
  reconnect?: ReconnectPolicy;
  /**
   * The client destroys its socket this many ms after its upgrade request went out, unless a
   * response came first, as a client that gives up mid-verification does. Such an attempt is
   * `ok` when nothing else went wrong; a response before the abort is judged as usual and makes
   * the step a `fault-not-exercised` finding. Must be below the attempt timeout.
   */
  abortAfterMs?: number;
}

/**
 * Opens `count` raw TCP connections that each send a complete upgrade request and then reset
 * the socket (RST) before the response, as a client that gives up mid-verification does.
 */
export interface RawUpgradeStep {
  action: 'raw-upgrade';
  count: number;
  /** Token class of the requests. @default 'valid' */
  tokenClass?: TokenClass;
  /** Time from writing the request to the reset, in ms. */
  resetAfterMs: number;
  /** First valid user number to use; requests use consecutive users. @default next unused */
  firstUser?: number;
}

/**
 * Sends `count` malformed upgrade requests over raw sockets, drawn from a generator seeded with
 * `seed`. Each must get a 4xx response or a closed socket; a 5xx or a hang is a finding.
 */
export interface HandshakeFuzzStep {
  action: 'handshake-fuzz';
  count: number;
  seed: number;
  /** Requests in flight at once. @default 20 */
  concurrency?: number;
  /** Time one request may wait for a response or a close, in ms. @default 5000 */
  timeoutMs?: number;
}

export type TimelineAction =
  | OpenStep
  | RawUpgradeStep
  | HandshakeFuzzStep
  /** Ends every backend on the target's database except the harness's own, through the admin URL. */
  | { action: 'terminate-backends' }
  | { action: 'signal'; signal: 'SIGTERM' | 'SIGINT' }
  | { action: 'add-toxic'; toxic: ToxicSpec; proxy?: ProxyName }
  | { action: 'remove-toxic'; name: string; proxy?: ProxyName }
  /**
   * Sends the target's shutdown signal, waits for its exit (at most the grace period, then
   * SIGKILL) and starts it again on the same port with the same environment, until ready.
   */
  | { action: 'restart-target' }
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
  /** Values for a run profile other than `quick`; the rest of the definition is `quick`. */
  profiles?: ScenarioProfiles;
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
    /**
     * More proxies in front of the same Postgres, one per entry, each with its own toxics. The
     * target gets the proxied database URL in `urlEnv`, so a second database client of the
     * target (such as a rate limit store) can be slowed apart from the main one.
     */
    databaseProxies?: { name: string; urlEnv: string }[];
    /**
     * Serves the target's RSA public key as a JSON Web Key Set on loopback, behind a proxy of
     * this name, and gives the target its URL in `urlEnv`. Toxics on the proxy then slow the
     * target's key fetch, which is part of its token phase. Needs RS256 tokens.
     */
    jwksProxy?: { name: string; urlEnv: string };
    /**
     * Algorithm the harness signs with, given to the target through its `settingsEnv.jwtAlgorithms`.
     * RS256 also passes `JWT_PUBLIC_KEY`. @default the target config's `jwt.algorithm`
     */
    jwtAlgorithm?: JwtAlgorithm;
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
    /**
     * Upper bound on one type of active resource in the target (a name from Node's
     * `process.getActiveResourcesInfo()`, such as `TCPSocketWrap`) in every probe sample taken
     * `atMs` or later after the scenario start. Needs the probe; a bound without samples is a
     * finding.
     */
    maxHandles?: { type: string; atMs: number; count: number };
    /**
     * Upper bound on the target's connections to its database, sampled from `pg_stat_activity`
     * through the admin connection every `intervalMs` (default 100) while the timeline runs.
     */
    maxBackends?: { count: number; intervalMs?: number };
  };
}

/** Identity helper that gives scenario files their types. */
export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}

/**
 * Proxy a toxic step acts on: `database` (the default, in front of the target's DATABASE_URL)
 * or the name of one of the scenario's `setup.databaseProxies`.
 */
export type ProxyName = string;

/**
 * A client that keeps reconnecting, as a browser app does after its server restarts. Each try
 * is one attempt record. The client stops when a try opens and the client itself closes it
 * (after `holdMs` on the first try, `reconnectHoldMs` on later ones), when a try is rejected
 * with a status other than 503, or when `maxTries` or `budgetMs` runs out, which is a
 * `condition-not-met` finding. It tries again after a server close, a 503, or a refused or
 * reset connection, waiting `baseDelayMs` times 2 to the number of failed tries, at most
 * `maxDelayMs`, scaled by a factor from 0.5 to 1 that differs per client.
 */
export interface ReconnectPolicy {
  /** Tries per client, the first included. */
  maxTries: number;
  /** Backoff before the second try, in ms. */
  baseDelayMs: number;
  /** Largest backoff, in ms. */
  maxDelayMs: number;
  /** Time from the first try after which no new try starts, in ms. */
  budgetMs: number;
  /** How long a connection opened by a later try stays open before the client closes it with 1000, in ms. */
  reconnectHoldMs: number;
}
