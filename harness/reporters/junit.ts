import type { AttemptRecord } from '../model/attempt.ts';
import type { RunResult } from '../model/result.ts';
import { describeOutcome } from './chart-data.ts';

/** Attempts described under one finding; CI logs stay short and the report has the rest. */
const MAX_ATTEMPT_LINES = 20;

/** Renders one JUnit testsuite with one testcase per scenario; findings become the failure. */
export function renderJunit(result: RunResult): string {
  const cases = result.scenarios.map((scenario) => {
    const open = `    <testcase classname="scenarios" name="${escapeXml(scenario.name)}" time="${seconds(scenario.durationMs)}">`;
    // Notes are checks that could not run; CI tools show system-out next to the test case.
    const notes = scenario.notes ?? [];
    const out = notes.length === 0 ? '' : `\n      <system-out>${escapeXml(notes.map((note) => `note: ${note}`).join('\n'))}</system-out>`;
    if (scenario.passed) return notes.length === 0 ? `${open}</testcase>` : `${open}${out}\n    </testcase>`;
    const summary = scenario.findings.map((finding) => `${finding.code}: ${finding.message}`);
    const byId = new Map(scenario.attempts.map((attempt) => [attempt.id, attempt]));
    const details = scenario.findings.flatMap((finding) => {
      const ids = finding.attemptIds ?? [];
      return [
        `${finding.code}: ${finding.message}`,
        ...ids.slice(0, MAX_ATTEMPT_LINES).map((id) => `  attempt ${describeAttempt(id, byId.get(id))}`),
        ...(ids.length > MAX_ATTEMPT_LINES ? [`  and ${ids.length - MAX_ATTEMPT_LINES} more attempt(s) in results.json`] : []),
        ...(finding.evidence ?? []).map((line) => `  ${line}`),
      ];
    });
    return [
      open,
      `      <failure message="${escapeXml(summary.join('; '))}" type="findings">${escapeXml(details.join('\n'))}</failure>${out}`,
      '    </testcase>',
    ].join('\n');
  });
  const { summary } = result;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ws-upgrade-chaos" tests="${summary.scenarios}" failures="${summary.failed}" time="${seconds(result.durationMs)}">`,
    `  <testsuite name="${escapeXml(result.target.name)}" tests="${summary.scenarios}" failures="${summary.failed}" errors="0" skipped="0" timestamp="${result.startedAt}" time="${seconds(result.durationMs)}">`,
    ...renderProperties(result),
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Run facts a CI viewer shows next to the suite: what was tested, on what, with which seed. */
function renderProperties(result: RunResult): string[] {
  const { backends, summary } = result;
  const properties: [string, string][] = [
    ['runId', result.runId],
    ['seed', String(result.seed)],
    ['node', result.node],
    ['target', result.target.command.join(' ')],
    ['probe', String(result.target.probe)],
    ['postgres', `${backends.postgres.kind} ${backends.postgres.version}`],
    ['toxiproxy', `${backends.toxiproxy.kind} ${backends.toxiproxy.version}`],
    ['attempts', String(summary.attempts)],
    ['unhandledRejections', String(summary.unhandledRejections)],
    ['uncaughtExceptions', String(summary.uncaughtExceptions)],
  ];
  return [
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${name}" value="${escapeXml(value)}"/>`),
    '    </properties>',
  ];
}

function describeAttempt(id: string, attempt: AttemptRecord | undefined): string {
  if (attempt === undefined) return id;
  const expected = attempt.expected.map((outcome) => outcome.label).join(' or ');
  return `${id} (${attempt.tokenClass}): expected ${expected}, got ${describeOutcome(attempt)}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Escapes text for XML attributes and content, dropping characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
