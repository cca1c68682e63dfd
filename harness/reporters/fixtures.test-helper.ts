import type { AttemptRecord, ResolvedOutcome } from '../model/attempt.ts';
import type { RunResult, ScenarioResult } from '../model/result.ts';
import type { ProbeEvent } from '../model/target.ts';

/** Text that breaks an HTML report which does not escape it, or ends its JSON block early. */
export const HOSTILE_TEXT = `</script><script>window.__injected = 1</script><!-- <img src=x onerror="window.__injected = 2">`;

const ACCEPT: ResolvedOutcome = { kind: 'accept', closeCode: null, label: 'accept' };
const ACCEPT_SHUTDOWN: ResolvedOutcome = { kind: 'accept', closeCode: 1001, label: 'accept, then close 1001 (shutdown)' };

function reject(status: number, rejectionClass: string): ResolvedOutcome {
  return { kind: 'reject', status, label: `${status} (${rejectionClass})` };
}

export function makeAttempt(overrides: Partial<AttemptRecord> & { id: string }): AttemptRecord {
  return {
    tokenClass: 'valid',
    userId: 'user-0001',
    expected: [ACCEPT],
    startedAtMs: 5,
    status: 101,
    retryAfter: null,
    responseMs: 12.5,
    closeCode: 1000,
    closeReason: '',
    closedBy: 'client',
    identity: 'user-0001',
    error: null,
    endedAtMs: 25,
    verdict: 'ok',
    detail: null,
    ...overrides,
  };
}

export function makeScenario(overrides: Partial<ScenarioResult> & { name: string }): ScenarioResult {
  const findings = overrides.findings ?? [];
  return {
    description: `Synthetic scenario ${overrides.name}.`,
    tags: ['synthetic'],
    passed: findings.length === 0,
    durationMs: 1_500,
    findings,
    attempts: [],
    events: [],
    probe: { loaded: true, unhandledRejections: [], uncaughtExceptions: [], crash: null, resources: null },
    exit: { code: 0, signal: null, requested: true, afterSignalMs: 10, atMs: 1_796_390_942_001 },
    targetLog: `${overrides.name}/target.log`,
    ...overrides,
  };
}

/** Wraps scenarios in a run whose summary agrees with them, as the runner computes it. */
export function makeRun(scenarios: ScenarioResult[], overrides: Partial<RunResult> = {}): RunResult {
  const passed = scenarios.filter((scenario) => scenario.passed).length;
  const sum = (pick: (scenario: ScenarioResult) => number) => scenarios.reduce((total, scenario) => total + pick(scenario), 0);
  return {
    schemaVersion: 1,
    runId: '20261204T132859Z-699e',
    startedAt: '2026-12-04T13:28:59.430Z',
    durationMs: sum((scenario) => scenario.durationMs) + 3_000,
    seed: 3,
    profile: 'quick',
    node: 'v20.20.2',
    target: { name: 'reference', command: ['node', '--import', 'tsx', 'server/main.ts'], probe: true },
    backends: { postgres: { kind: 'embedded', version: '18.4' }, toxiproxy: { kind: 'builtin', version: '2.12.0' } },
    summary: {
      scenarios: scenarios.length,
      passed,
      failed: scenarios.length - passed,
      attempts: sum((scenario) => scenario.attempts.length),
      unhandledRejections: sum((scenario) => scenario.probe?.unhandledRejections.length ?? 0),
      uncaughtExceptions: sum((scenario) => scenario.probe?.uncaughtExceptions.length ?? 0),
    },
    scenarios,
    ...overrides,
  };
}

/** Deterministic numbers in [0, 1), so fixtures and report sizes are the same on every run. */
function createSequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

const TOKEN_STATUSES: [AttemptRecord['tokenClass'], number, string][] = [
  ['missing', 401, 'missing'],
  ['expired', 401, 'expired'],
  ['bad-signature', 401, 'invalid'],
  ['no-permission', 403, 'forbidden'],
  ['revoked', 403, 'forbidden'],
];

/** Makes `count` attempts of one token class every `gapMs`, each with the outcome the policy expects. */
function passingAttempts(scenario: string, startIndex: number, count: number, options: { fromMs: number; gapMs: number; next: () => number; tokenClass?: AttemptRecord['tokenClass']; status?: number; label?: string }): AttemptRecord[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = startIndex + offset;
    const startedAtMs = Math.round((options.fromMs + offset * options.gapMs) * 10) / 10;
    const responseMs = Math.round((8 + options.next() * 30) * 10) / 10;
    const base = { id: `${scenario}#${index}`, startedAtMs, responseMs, userId: `user-${String(index).padStart(4, '0')}`, identity: `user-${String(index).padStart(4, '0')}` };
    if (options.status === undefined) return makeAttempt({ ...base, endedAtMs: Math.round((startedAtMs + responseMs + 6) * 10) / 10 });
    return makeAttempt({
      ...base,
      tokenClass: options.tokenClass ?? 'missing',
      userId: null,
      identity: null,
      expected: [reject(options.status, options.label ?? 'missing')],
      status: options.status,
      closeCode: null,
      closeReason: null,
      closedBy: null,
      endedAtMs: Math.round((startedAtMs + responseMs + 2) * 10) / 10,
    });
  });
}

/** Builds a run where every scenario passes: token classes, and a slow database with a latency toxic. */
export function makePassingRun(): RunResult {
  const next = createSequence(1);
  const tokens = [
    ...passingAttempts('failing-tokens', 1, 3, { fromMs: 3, gapMs: 2, next }),
    ...TOKEN_STATUSES.flatMap(([tokenClass, status, label], group) =>
      passingAttempts('failing-tokens', 4 + group * 3, 3, { fromMs: 50 * (group + 1), gapMs: 2, next, tokenClass, status, label }),
    ),
  ];
  const slow = [
    ...passingAttempts('slow-db', 1, 4, { fromMs: 2, gapMs: 1, next }),
    ...passingAttempts('slow-db', 5, 4, { fromMs: 1600, gapMs: 1, next }).map((attempt) => ({
      ...attempt,
      responseMs: attempt.responseMs === null ? null : attempt.responseMs + 5_000,
      endedAtMs: attempt.startedAtMs + 5_060,
    })),
  ];
  return makeRun([
    makeScenario({ name: 'failing-tokens', description: 'Every invalid token class is rejected with its status.', attempts: tokens, events: TOKEN_STATUSES.map(([tokenClass], group) => ({ atMs: 50 * (group + 1), kind: 'open' as const, detail: `3 × ${tokenClass}` })), durationMs: 1_314 }),
    makeScenario({
      name: 'slow-db',
      description: 'Verification waits for a 5 s latency toxic on the database link and then succeeds.',
      attempts: slow,
      durationMs: 12_360,
      events: [
        { atMs: 2, kind: 'open', detail: '4 × valid' },
        { atMs: 1500, kind: 'add-toxic', detail: 'slow-db: latency downstream latency=5000 jitter=0' },
        { atMs: 1600, kind: 'open', detail: '4 × valid' },
        { atMs: 7000, kind: 'remove-toxic', detail: 'slow-db' },
      ],
    }),
  ]);
}

const REJECTION_STACK = [
  'Error: connect ECONNREFUSED 127.0.0.1:5432',
  '    at verifyClient (file:///srv/app/server.js:41:11)',
  '    at WebSocketServer.handleUpgrade (node_modules/ws/lib/websocket-server.js:248:16)',
].join('\n');

function probeEvent(overrides: Partial<ProbeEvent>): ProbeEvent {
  return {
    kind: 'unhandledRejection',
    origin: 'unhandledRejection',
    name: 'Error',
    message: 'connect ECONNREFUSED 127.0.0.1:5432',
    stack: REJECTION_STACK,
    atMs: 1_796_390_940_150,
    pid: 4242,
    ...overrides,
  };
}

/** Builds a scenario whose target's async verifyClient rejects: an unhandled rejection, a crash, a hang. */
function makeCrashScenario(): ScenarioResult {
  const rejection = probeEvent({});
  const attempts = [
    makeAttempt({ id: 'async-verify-crash#1', tokenClass: 'missing', userId: null, identity: null, expected: [reject(401, 'missing')], startedAtMs: 2, status: null, responseMs: null, closeCode: null, closeReason: null, closedBy: null, endedAtMs: 3_002, verdict: 'hung', detail: 'no response within 3000 ms; expected 401 (missing)' }),
    makeAttempt({ id: 'async-verify-crash#2', tokenClass: 'missing', userId: null, identity: null, expected: [reject(401, 'missing')], startedAtMs: 4, status: null, responseMs: null, closeCode: null, closeReason: null, closedBy: null, error: 'ECONNRESET', endedAtMs: 152, verdict: 'client-error', detail: 'socket error ECONNRESET before any response' }),
  ];
  return makeScenario({
    name: 'async-verify-crash',
    description: `An async verifyClient against a stopped database. ${HOSTILE_TEXT}`,
    attempts,
    durationMs: 3_400,
    events: [
      { atMs: 0, kind: 'open', detail: '2 × missing' },
      { atMs: 150, kind: 'target-exit', detail: 'code 1' },
    ],
    probe: { loaded: true, unhandledRejections: [rejection], uncaughtExceptions: [], crash: { ...rejection, kind: 'uncaughtException' }, resources: null },
    exit: { code: 1, signal: null, requested: false, afterSignalMs: null, atMs: 1_796_390_940_150 },
    findings: [
      { code: 'unhandled-rejection', message: '1 unhandled rejection(s) in the target', evidence: [REJECTION_STACK] },
      { code: 'crash', message: 'target exited with code 1 while running', evidence: [`crash cause (unhandledRejection): ${REJECTION_STACK}`, 'server listening on 127.0.0.1:40123', `log line with markup ${HOSTILE_TEXT}`] },
      { code: 'hung-upgrade', message: '1 of 2 attempt(s) got no response within 3000 ms', attemptIds: ['async-verify-crash#1'] },
      { code: 'client-error', message: '1 of 2 attempt(s) ended with a socket error', attemptIds: ['async-verify-crash#2'] },
    ],
  });
}

/** Builds SIGTERM during verification with a 1006 close, a 500 and the wrong exit code. */
function makeShutdownScenario(): ScenarioResult {
  const next = createSequence(2);
  const early = passingAttempts('shutdown-mid-verification', 1, 3, { fromMs: 4, gapMs: 1, next }).map((attempt, index) =>
    index === 0
      ? { ...attempt, expected: [ACCEPT_SHUTDOWN], closeCode: 1006, closeReason: '', closedBy: 'server' as const, endedAtMs: 1_306, verdict: 'unclean-close' as const, detail: 'closed 1006 without a close frame; expected 1001' }
      : { ...attempt, expected: [ACCEPT_SHUTDOWN], closeCode: 1001, closeReason: 'server shutting down', closedBy: 'server' as const, endedAtMs: 1_306 },
  );
  const pending = passingAttempts('shutdown-mid-verification', 4, 6, { fromMs: 1_100, gapMs: 2, next, tokenClass: 'valid', status: 503, label: 'shuttingDown' }).map((attempt, index) => ({
    ...attempt,
    tokenClass: 'valid' as const,
    expected: [reject(503, 'shuttingDown'), ACCEPT_SHUTDOWN],
    responseMs: 1_299 - attempt.startedAtMs + 3,
    endedAtMs: 1_304,
    retryAfter: '5',
    ...(index === 5 ? { status: 500, verdict: 'wrong-status' as const, detail: 'status 500; expected 503 (shuttingDown) or accept, then close 1001 (shutdown)' } : {}),
  }));
  return makeScenario({
    name: 'shutdown-mid-verification',
    description: 'SIGTERM while verifications wait for the database: pending upgrades get 503 or are closed with 1001.',
    attempts: [...early, ...pending],
    durationMs: 11_746,
    events: [
      { atMs: 4, kind: 'open', detail: '3 × valid' },
      { atMs: 1_001, kind: 'add-toxic', detail: 'slow-db: latency downstream latency=3000 jitter=0' },
      { atMs: 1_100, kind: 'open', detail: '6 × valid' },
      { atMs: 1_299, kind: 'signal', detail: 'SIGTERM' },
      { atMs: 11_310, kind: 'target-exit', detail: 'code 1' },
    ],
    exit: { code: 1, signal: null, requested: true, afterSignalMs: 10_011, atMs: 1_796_390_977_484 },
    findings: [
      { code: 'abnormal-closure', message: '1 of 9 attempt(s): closed 1006 without a close frame', attemptIds: ['shutdown-mid-verification#1'] },
      { code: 'wrong-status', message: '1 of 9 attempt(s): status 500; expected 503 (shuttingDown)', attemptIds: ['shutdown-mid-verification#9'] },
      { code: 'exit-code', message: 'target exited with code 1; expected code 0', evidence: ['{"level":50,"msg":"shutdown failed","err":{"message":"pool.end() timed out"}}', 'shutdown: closing 2 connections'] },
    ],
  });
}

/** Builds a run with failures of every kind the report must explain, plus one passing scenario. */
export function makeFailingRun(): RunResult {
  const passing = makePassingRun().scenarios[0] as ScenarioResult;
  return makeRun([passing, makeCrashScenario(), makeShutdownScenario()], { runId: '20261205T101500Z-f00d' });
}
