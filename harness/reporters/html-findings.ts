import { FINDING_CODES, type Finding } from '../checks/finding-codes.ts';
import type { AttemptRecord } from '../model/attempt.ts';
import type { ScenarioResult } from '../model/result.ts';
import type { ProbeEvent } from '../model/target.ts';
import { describeOutcome } from './chart-data.ts';
import { describeCloseCode, describeStatus } from './close-codes.ts';
import { escapeHtml, formatMs } from './html-text.ts';

/** Attempts shown in full under one finding; the others are listed by id only. */
const MAX_EVIDENCE_ATTEMPTS = 10;
/** Ids listed after the detailed attempts; the rest are counted. */
const MAX_LISTED_IDS = 200;

/**
 * Renders each finding with what proves it: the code's meaning, the attempts involved with their
 * expected and actual outcome, the evidence lines (stacks, target log) and the probe's events.
 */
export function renderFindings(scenario: ScenarioResult, newCodes: ReadonlySet<string>): string {
  if (scenario.findings.length === 0) return '<p class="good">No findings.</p>';
  const byId = new Map(scenario.attempts.map((attempt) => [attempt.id, attempt]));
  const items = scenario.findings.map((finding) => renderFinding(finding, byId, newCodes.has(finding.code)));
  return `<h3>Findings</h3><ol class="findings">${items.join('')}</ol>`;
}

function renderFinding(finding: Finding, byId: Map<string, AttemptRecord>, isNew: boolean): string {
  const meaning = FINDING_CODES[finding.code];
  const ids = finding.attemptIds ?? [];
  const evidence = finding.evidence ?? [];
  const hasText = evidence.some((line) => line.trim() !== '');
  const evidenceBlock = !hasText
    ? evidence.length === 0
      ? ''
      : '<p class="muted">Evidence: the target wrote no log lines before this.</p>'
    : `<div class="evidence-label">Evidence (stack traces, target log, leak counts):</div><pre class="evidence">${escapeHtml(evidence.join('\n'))}</pre>`;
  return `<li class="finding" data-code="${finding.code}">
<div class="finding-head"><code class="code">${finding.code}</code>${isNew ? ' <span class="badge new">new</span>' : ''} ${escapeHtml(finding.message)}</div>
<div class="muted">Proves: ${escapeHtml(meaning.proves)} Typical cause: ${escapeHtml(meaning.cause)}</div>
${renderAttemptEvidence(ids, byId)}
${evidenceBlock}
</li>`;
}

function renderAttemptEvidence(ids: string[], byId: Map<string, AttemptRecord>): string {
  if (ids.length === 0) return '';
  const detailed = ids.slice(0, MAX_EVIDENCE_ATTEMPTS);
  const rows = detailed.map((id) => {
    const attempt = byId.get(id);
    if (attempt === undefined) return `<tr><td>${escapeHtml(id)}</td><td colspan="6" class="muted">not in this scenario's attempts</td></tr>`;
    return renderEvidenceRow(attempt);
  });
  const listed = ids.slice(MAX_EVIDENCE_ATTEMPTS, MAX_EVIDENCE_ATTEMPTS + MAX_LISTED_IDS);
  const rest = ids.length - detailed.length - listed.length;
  const more =
    listed.length === 0
      ? ''
      : `<details class="ids"><summary>${ids.length - detailed.length} more attempt(s)</summary>${escapeHtml(listed.join(', '))}${rest > 0 ? ` and ${rest} more (see results.json)` : ''}</details>`;
  return `<table class="evidence-attempts"><thead><tr><th>attempt</th><th>token class</th><th>expected</th><th>actual</th><th>response</th><th>error</th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

function renderEvidenceRow(attempt: AttemptRecord): string {
  const expected = attempt.expected.map((outcome) => outcome.label).join(' or ');
  return `<tr><td class="id">${escapeHtml(attempt.id)}</td><td>${attempt.tokenClass}</td><td>${escapeHtml(expected)}</td><td class="bad">${escapeHtml(describeActual(attempt))}</td><td class="num">${formatMs(attempt.responseMs)}</td><td>${escapeHtml(attempt.error ?? '')}</td><td>${escapeHtml(attempt.detail ?? '')}</td></tr>`;
}

/** Describes the outcome with the standard names of its status and close code. */
export function describeActual(attempt: AttemptRecord): string {
  const outcome = describeOutcome(attempt);
  if (attempt.status === null) return outcome;
  const status = `${attempt.status} ${describeStatus(attempt.status)}`;
  if (attempt.status !== 101) return status;
  if (attempt.closeCode === null) return `${status}, no close seen`;
  const reason = attempt.closeReason ? ` "${attempt.closeReason}"` : '';
  const by = attempt.closedBy === null ? '' : ` by ${attempt.closedBy}`;
  return `${status}, closed ${attempt.closeCode} ${describeCloseCode(attempt.closeCode)}${reason}${by}`;
}

/** Lists every unhandled rejection, uncaught exception and crash the probe saw, with its stack. */
export function renderProbeEvents(scenario: ScenarioResult): string {
  const probe = scenario.probe;
  if (probe === null) return '<p class="muted probe-state">Probe not loaded (not a Node target): rejections and exceptions were not counted.</p>';
  const events: [string, ProbeEvent][] = [
    ...probe.unhandledRejections.map((event): [string, ProbeEvent] => ['unhandled rejection', event]),
    ...probe.uncaughtExceptions.map((event): [string, ProbeEvent] => ['uncaught exception', event]),
    ...(probe.crash === null ? [] : [['crash', probe.crash] as [string, ProbeEvent]]),
  ];
  if (events.length === 0) return '';
  const items = events.map(([kind, event]) => {
    const origin = event.origin === event.kind ? '' : ` (origin: ${event.origin})`;
    return `<li><strong>${kind}</strong>${escapeHtml(origin)} in pid ${event.pid}: <code>${escapeHtml(event.name)}</code> ${escapeHtml(event.message)}<pre class="stack">${escapeHtml(event.stack ?? '(no stack)')}</pre></li>`;
  });
  return `<h3>Probe events in the target</h3><ul class="probe-events">${items.join('')}</ul>`;
}
