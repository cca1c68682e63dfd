import type { AttemptRecord } from '../model/attempt.ts';
import type { RunResult, ScenarioResult } from '../model/result.ts';
import { makeAttempt, makeFailingRun, makePassingRun, makeRun, makeScenario } from './fixtures.test-helper.ts';

const TOXIC_FROM_MS = 20_000;
const TOXIC_TO_MS = 40_000;

/**
 * Builds one scenario of `count` attempts spread over 60 s, with a latency toxic from 20 s to 40 s
 * and one attempt in fifty failing, for measuring the report's size and drawing time.
 */
export function makeLargeRun(count = 5_000): RunResult {
  const spreadMs = 60_000;
  const attempts = Array.from({ length: count }, (_, index) => makeLoadAttempt(index, (index * spreadMs) / count));
  const failed = attempts.filter((attempt) => attempt.verdict !== 'ok').map((attempt) => attempt.id);
  const scenario = makeScenario({
    name: 'load-5000',
    description: `${count} upgrades over 60 s with a 400 ms latency toxic in the middle third.`,
    attempts,
    durationMs: 62_000,
    events: [
      { atMs: 0, kind: 'open', detail: `${count} × valid` },
      { atMs: TOXIC_FROM_MS, kind: 'add-toxic', detail: 'slow-db: latency downstream latency=400 jitter=100' },
      { atMs: TOXIC_TO_MS, kind: 'remove-toxic', detail: 'slow-db' },
    ],
    findings: [{ code: 'wrong-status', message: `${failed.length} of ${count} attempt(s): status 500; expected accept`, attemptIds: failed }],
  });
  return makeRun([scenario], { runId: '20261206T090000Z-beef' });
}

function makeLoadAttempt(index: number, startedAtMs: number): AttemptRecord {
  const id = `load-5000#${index + 1}`;
  const slowed = startedAtMs >= TOXIC_FROM_MS && startedAtMs < TOXIC_TO_MS;
  // A fixed pattern instead of random draws keeps the file size the same on every run.
  const responseMs = Math.round(((slowed ? 400 : 8) + ((index * 37) % 100) * (slowed ? 1 : 0.3)) * 10) / 10;
  const start = Math.round(startedAtMs * 10) / 10;
  if (index % 50 === 49) {
    return makeAttempt({ id, startedAtMs: start, responseMs, status: 500, closeCode: null, closeReason: null, closedBy: null, identity: null, endedAtMs: start + responseMs + 1, verdict: 'wrong-status', detail: 'status 500; expected accept' });
  }
  return makeAttempt({ id, startedAtMs: start, responseMs, userId: `user-${index + 1}`, identity: `user-${index + 1}`, endedAtMs: Math.round((start + responseMs + 5) * 10) / 10 });
}

/** Five scenarios shaped like the seed catalogue: token classes, 100 at once, slow database, timeout, shutdown. */
export function makeTypicalRun(): RunResult {
  const [tokens, slow] = makePassingRun().scenarios as [ScenarioResult, ScenarioResult];
  const shutdown = makeFailingRun().scenarios[2] as ScenarioResult;
  const concurrency = makeScenario({
    name: 'concurrency-100',
    description: '100 simultaneous upgrades of mixed valid and invalid tokens.',
    attempts: Array.from({ length: 100 }, (_, index) =>
      makeAttempt({ id: `concurrency-100#${index + 1}`, startedAtMs: 4 + index * 0.25, responseMs: 20 + ((index * 13) % 80), endedAtMs: 4 + index * 0.25 + 110 }),
    ),
    durationMs: 915,
  });
  const timeout = makeScenario({
    name: 'verification-timeout',
    description: 'A database stalled beyond the verification deadline gives 503 within the deadline.',
    attempts: Array.from({ length: 5 }, (_, index) =>
      makeAttempt({ id: `verification-timeout#${index + 1}`, expected: [{ kind: 'reject', status: 503, label: '503 (timedOut)' }], startedAtMs: 3 + index, status: 503, retryAfter: '5', responseMs: 2_010 + index / 10, closeCode: null, closeReason: null, closedBy: null, identity: null, endedAtMs: 2_015 + index }),
    ),
    events: [
      { atMs: 0, kind: 'add-toxic', detail: 'stalled-db: latency downstream latency=5000 jitter=0' },
      { atMs: 2, kind: 'open', detail: '5 × valid' },
    ],
    durationMs: 10_464,
  });
  return makeRun([tokens, concurrency, slow, timeout, shutdown], { runId: '20261204T140000Z-5a5a' });
}
