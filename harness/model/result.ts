import type { Finding } from '../checks/finding-codes.ts';
import type { AttemptRecord } from './attempt.ts';
import type { PostgresBackendKind, ToxiproxyBackendKind } from './environment.ts';
import type { ProbeReport, TargetExit } from './target.ts';
import type { RunProfile } from './profile.ts';

/** Something the timeline did, at ms from the scenario start. */
export interface TimelineEvent {
  atMs: number;
  kind:
    | 'open'
    | 'signal'
    | 'add-toxic'
    | 'remove-toxic'
    | 'set-proxy-enabled'
    | 'target-exit'
    | 'raw-upgrade'
    | 'terminate-backends'
    | 'handshake-fuzz'
    | 'restart-target';
  detail: string;
}

export interface ScenarioResult {
  name: string;
  description: string;
  tags: string[];
  passed: boolean;
  durationMs: number;
  findings: Finding[];
  attempts: AttemptRecord[];
  events: TimelineEvent[];
  probe: ProbeReport | null;
  exit: TargetExit | null;
  /** Path of the target's stdout and stderr, relative to the run folder. */
  targetLog: string | null;
  /** Facts that limit what the checks proved without failing them, such as a count not taken. */
  notes?: string[];
}

/** The shape of results.json; docs/results.md describes each field and docs/results.schema.json validates it. */
export interface RunResult {
  schemaVersion: 1;
  runId: string;
  startedAt: string;
  durationMs: number;
  seed: number;
  /** Run profile: `quick` (short deadlines, small counts) or `full`. */
  profile: RunProfile;
  /** Set when the run stopped before its last scenario; `scenarios` then lists those that finished. */
  interrupted?: true;
  /** Why the run stopped early, in one line; set with `interrupted`. */
  stopReason?: string;
  node: string;
  target: { name: string; command: string[]; probe: boolean };
  backends: {
    postgres: { kind: PostgresBackendKind; version: string };
    toxiproxy: { kind: ToxiproxyBackendKind; version: string };
  };
  summary: {
    scenarios: number;
    passed: number;
    failed: number;
    attempts: number;
    unhandledRejections: number;
    uncaughtExceptions: number;
  };
  scenarios: ScenarioResult[];
}
