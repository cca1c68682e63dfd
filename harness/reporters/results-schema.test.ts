import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../checks/finding-codes.ts';
import { VERDICTS } from '../model/attempt.ts';
import type { PostgresBackendKind, ToxiproxyBackendKind } from '../model/environment.ts';
import type { RunResult, TimelineEvent } from '../model/result.ts';
import { RUN_PROFILES } from '../model/profile.ts';
import { ATTACK_TOKEN_CLASSES, TOKEN_CLASSES } from '../model/scenario.ts';
import { makeFailingRun, makePassingRun } from './fixtures.test-helper.ts';
import { makeLargeRun, makeTypicalRun } from './large-fixtures.test-helper.ts';
import { compileResultsSchema, describeErrors, readResultsSchema } from './results-schema.test-helper.ts';

const RESULTS_DOC = fileURLToPath(new URL('../../docs/results.md', import.meta.url));

// Union members listed once here; the type checks below fail to compile when a union changes.
const EVENT_KINDS = ['open', 'signal', 'add-toxic', 'remove-toxic', 'set-proxy-enabled', 'target-exit', 'raw-upgrade', 'terminate-backends', 'handshake-fuzz', 'restart-target'] as const satisfies readonly TimelineEvent['kind'][];
const POSTGRES_KINDS = ['url', 'docker', 'embedded'] as const satisfies readonly PostgresBackendKind[];
const TOXIPROXY_KINDS = ['url', 'docker', 'builtin'] as const satisfies readonly ToxiproxyBackendKind[];
type Missing = Exclude<TimelineEvent['kind'], (typeof EVENT_KINDS)[number]> | Exclude<PostgresBackendKind, (typeof POSTGRES_KINDS)[number]> | Exclude<ToxiproxyBackendKind, (typeof TOXIPROXY_KINDS)[number]>;
const noneMissing: [Missing] extends [never] ? true : false = true;

type Schema = { properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; $defs?: Record<string, Schema>; oneOf?: Schema[] };
const schema = readResultsSchema() as Schema;
const defs = schema.$defs ?? {};

function validate(result: unknown): string[] {
  const check = compileResultsSchema();
  return check(result) ? [] : describeErrors(check.errors);
}

/** Deep copy that a test may break without touching the fixture. */
function copy(result: RunResult): Record<string, any> {
  return JSON.parse(JSON.stringify(result));
}

describe('results.schema.json', () => {
  it('accepts the synthetic results', () => {
    expect(validate(makePassingRun())).toEqual([]);
    expect(validate(makeFailingRun())).toEqual([]);
    expect(validate(makeTypicalRun())).toEqual([]);
    expect(validate(makeLargeRun(200))).toEqual([]);
  });

  it('rejects an unknown verdict', () => {
    const result = copy(makeFailingRun());
    result.scenarios[1].attempts[0].verdict = 'flaky';
    expect(validate(result).join('\n')).toContain('/scenarios/1/attempts/0/verdict must be equal to one of the allowed values');
  });

  it('rejects an unknown finding code', () => {
    const result = copy(makeFailingRun());
    result.scenarios[1].findings[0].code = 'memory-leak';
    expect(validate(result).join('\n')).toContain('/scenarios/1/findings/0/code must be equal to one of the allowed values');
  });

  it('accepts phases, rejects negative durations', () => {
    const result = copy(makePassingRun());
    result.scenarios[0].attempts[0].phases = { token: 0.4, limit: 0.1, lookup: 402.3 };
    expect(validate(result)).toEqual([]);
    result.scenarios[0].attempts[0].phases.lookup = -1;
    expect(validate(result).join('\n')).toContain('/scenarios/0/attempts/0/phases/lookup must be >= 0');
  });

  it('rejects an unknown backend kind', () => {
    const result = copy(makePassingRun());
    result.backends.toxiproxy.kind = 'embedded';
    expect(validate(result).join('\n')).toContain('/backends/toxiproxy/kind must be equal to one of the allowed values');
  });

  it('rejects a missing or extra field', () => {
    const missing = copy(makePassingRun());
    delete missing.scenarios[0].attempts[0].closedBy;
    expect(validate(missing).join('\n')).toContain(`/scenarios/0/attempts/0 must have required property 'closedBy'`);
    const extra = copy(makePassingRun());
    extra.summary.skipped = 0;
    expect(validate(extra).join('\n')).toContain('/summary must NOT have additional properties');
  });

  it('rejects a bad start time and schema version', () => {
    const result = copy(makePassingRun());
    result.startedAt = 'yesterday';
    result.schemaVersion = 2;
    const errors = validate(result).join('\n');
    expect(errors).toContain('/startedAt must match format "date-time"');
    expect(errors).toContain('/schemaVersion must be equal to constant');
  });

  it('lists the enums of the model', () => {
    expect(noneMissing).toBe(true);
    expect(defs.attempt?.properties?.verdict?.enum).toEqual([...VERDICTS]);
    expect(defs.attempt?.properties?.tokenClass?.enum).toEqual([...TOKEN_CLASSES, ...ATTACK_TOKEN_CLASSES]);
    expect(defs.findingCode?.enum).toEqual(Object.keys(FINDING_CODES));
    expect(schema.properties?.profile?.enum).toEqual([...RUN_PROFILES]);
    expect(defs.timelineEvent?.properties?.kind?.enum).toEqual([...EVENT_KINDS]);
    expect(schema.properties?.backends?.properties?.postgres?.properties?.kind?.enum).toEqual([...POSTGRES_KINDS]);
    expect(schema.properties?.backends?.properties?.toxiproxy?.properties?.kind?.enum).toEqual([...TOXIPROXY_KINDS]);
  });

  it('requires every field the model has', () => {
    // The fixtures are typed RunResult, so their keys are the model's fields, optional ones aside.
    const run = makeFailingRun();
    const scenario = run.scenarios[1];
    const sorted = (keys: string[] | undefined) => [...(keys ?? [])].sort();
    expect(sorted(schema.required)).toEqual(sorted(Object.keys(run)));
    expect(sorted(defs.scenario?.required)).toEqual(sorted(Object.keys(scenario ?? {})));
    expect(sorted(defs.attempt?.required)).toEqual(sorted(Object.keys(scenario?.attempts[0] ?? {})));
    expect(sorted(defs.probeReport?.required)).toEqual(sorted(Object.keys(scenario?.probe ?? {})));
    expect(sorted(defs.targetExit?.required)).toEqual(sorted(Object.keys(scenario?.exit ?? {})));
    expect(sorted(defs.probeEvent?.required)).toEqual(sorted(Object.keys(scenario?.probe?.unhandledRejections[0] ?? {})));
    expect(defs.finding?.required).toEqual(['code', 'message']);
    expect(Object.keys(defs.finding?.properties ?? {})).toEqual(['code', 'message', 'attemptIds', 'evidence']);
  });
});

/** Field names in the first column of the table under `## <heading>` in docs/results.md. */
function documentedFields(markdown: string, heading: string): string[] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''));
}

describe('docs/results.md', () => {
  const markdown = readFileSync(RESULTS_DOC, 'utf8');

  it('lists the run fields of the schema', () => {
    expect(documentedFields(markdown, 'Run')).toEqual(Object.keys(schema.properties ?? {}));
  });

  it('lists the scenario fields of the schema', () => {
    expect(documentedFields(markdown, 'Scenario')).toEqual(Object.keys(defs.scenario?.properties ?? {}));
  });

  it('lists the attempt fields of the schema', () => {
    expect(documentedFields(markdown, 'Attempt')).toEqual(Object.keys(defs.attempt?.properties ?? {}));
  });
});
