import type { AttemptRecord } from '../model/attempt.ts';
import type { TimelineEvent } from '../model/result.ts';
import { describeOutcome } from './chart-data.ts';
import { countCloseCodes, countStatuses } from './close-codes.ts';
import { escapeHtml, formatMs } from './html-text.ts';
import { computeAttemptLatency, type LatencyStats } from './latency-stats.ts';

interface MatrixRow {
  tokenClass: string;
  expected: Set<string>;
  actual: Map<string, { count: number; wrong: number }>;
  total: number;
  ok: number;
}

/** Per token class: the outcomes the policy allows next to the outcomes seen, with counts. */
export function renderOutcomeMatrix(attempts: readonly AttemptRecord[]): string {
  if (attempts.length === 0) return '';
  const rows = new Map<string, MatrixRow>();
  for (const attempt of attempts) {
    const row = rows.get(attempt.tokenClass) ?? { tokenClass: attempt.tokenClass, expected: new Set(), actual: new Map(), total: 0, ok: 0 };
    row.expected.add(attempt.expected.map((outcome) => outcome.label).join(' or '));
    const actual = row.actual.get(describeOutcome(attempt)) ?? { count: 0, wrong: 0 };
    actual.count += 1;
    if (attempt.verdict !== 'ok') actual.wrong += 1;
    row.actual.set(describeOutcome(attempt), actual);
    row.total += 1;
    if (attempt.verdict === 'ok') row.ok += 1;
    rows.set(attempt.tokenClass, row);
  }
  const body = [...rows.values()].map((row) => {
    const actual = [...row.actual].map(
      ([label, { count, wrong }]) => `<span class="outcome ${wrong > 0 ? 'bad' : 'good'}">${escapeHtml(label)} ×${count}${wrong > 0 ? ` (${wrong} wrong)` : ''}</span>`,
    );
    const tone = row.ok === row.total ? 'good' : 'bad';
    return `<tr class="${tone}-row"><td>${row.tokenClass}</td><td>${escapeHtml([...row.expected].join('; '))}</td><td>${actual.join(' ')}</td><td class="num ${tone}">${row.ok}/${row.total}</td></tr>`;
  });
  return `<div class="panel matrix-panel"><h4>Expected and actual outcome per token class</h4><table class="matrix"><thead><tr><th>token class</th><th>expected</th><th>actual</th><th>ok</th></tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}

/** Counts per HTTP status and per close code, with their standard names and flags. */
export function renderStatusPanel(attempts: readonly AttemptRecord[]): string {
  const statuses = countStatuses([...attempts]).map((row) => {
    const flag = row.notAllowed > 0 ? `<span class="badge fail">${row.notAllowed} not allowed</span>` : '';
    return `<tr class="${row.notAllowed > 0 ? 'bad-row' : ''}"><td class="num">${row.status}</td><td>${escapeHtml(row.name)}</td><td class="num">${row.count}</td><td>${flag}</td></tr>`;
  });
  const noResponse = attempts.filter((attempt) => attempt.status === null).length;
  const closes = countCloseCodes([...attempts]).map((row) => {
    const flags = [
      row.alarming ? '<span class="badge warn">check</span>' : '',
      row.notAllowed > 0 ? `<span class="badge fail">${row.notAllowed} not allowed</span>` : '',
    ].join(' ');
    let tone = '';
    if (row.alarming) tone = 'warn-row';
    if (row.notAllowed > 0) tone = 'bad-row';
    return `<tr class="${tone}"><td class="num">${row.code ?? '–'}</td><td>${escapeHtml(row.name)}</td><td class="num">${row.count}</td><td class="num">${row.byServer}</td><td class="num">${row.byClient}</td><td>${flags}</td></tr>`;
  });
  const closeTable =
    closes.length === 0
      ? '<p class="muted">No connection opened.</p>'
      : `<table class="close-codes"><thead><tr><th>close code</th><th>name (RFC 6455 7.4.1)</th><th>count</th><th>by server</th><th>by client</th><th>flags</th></tr></thead><tbody>${closes.join('')}</tbody></table>`;
  const statusTable =
    statuses.length === 0
      ? ''
      : `<table class="statuses"><thead><tr><th>status</th><th>reason phrase</th><th>count</th><th>flag</th></tr></thead><tbody>${statuses.join('')}</tbody></table>`;
  return `<div class="panel"><h4>HTTP status and close code</h4>
${statusTable}
${noResponse > 0 ? `<p class="bad">${noResponse} attempt(s) got no HTTP response.</p>` : ''}
${closeTable}
<p class="muted">"check" marks 1005 (no status in the close frame), 1006 (no close frame at all) and 1011 (server error); "not allowed" counts attempts whose expected outcomes exclude that status or code.</p></div>`;
}

/**
 * Renders p50, p90, p99 and max of the handshake response time, for all attempts and per open
 * step of the timeline, so a warm-up step does not blur the percentiles of the step under fault.
 * With a single open step the rows are per token class instead.
 */
export function renderLatencyTable(attempts: readonly AttemptRecord[], events: readonly TimelineEvent[] = []): string {
  const groups = groupByOpenStep(attempts, events);
  const rows: [string, LatencyStats | null][] = [['all attempts', computeAttemptLatency(attempts)]];
  if (groups.size > 1) for (const [label, group] of groups) rows.push([label, computeAttemptLatency(group)]);
  const body = rows.map(([label, stats]) => {
    if (stats === null) return `<tr><td>${escapeHtml(label)}</td><td class="num">0</td><td colspan="4" class="muted">no response</td></tr>`;
    return `<tr><td>${escapeHtml(label)}</td><td class="num">${stats.count}</td><td class="num">${formatMs(stats.p50Ms)}</td><td class="num">${formatMs(stats.p90Ms)}</td><td class="num">${formatMs(stats.p99Ms)}</td><td class="num">${formatMs(stats.maxMs)}</td></tr>`;
  });
  return `<div class="panel"><h4>Handshake latency (request to response or open)</h4><table class="latency"><thead><tr><th>attempts</th><th>responses</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr></thead><tbody>${body.join('')}</tbody></table><p class="muted">Percentiles from an HDR histogram (3 significant digits).</p></div>`;
}

/** Rounding of event times to whole ms can put an open event up to this far after its attempts. */
const EVENT_ROUNDING_MS = 1;

/**
 * Groups attempts by the `open` event that started them: the latest one at or before the
 * attempt's start whose detail names its token class. With one open event or none, groups by
 * token class.
 */
export function groupByOpenStep(
  attempts: readonly AttemptRecord[],
  events: readonly TimelineEvent[],
): Map<string, AttemptRecord[]> {
  const opens = events.filter((event) => event.kind === 'open');
  const groups = new Map<string, AttemptRecord[]>();
  for (const attempt of attempts) {
    const label = opens.length > 1 ? openStepLabel(attempt, opens) : attempt.tokenClass;
    const group = groups.get(label) ?? [];
    group.push(attempt);
    groups.set(label, group);
  }
  return groups;
}

function openStepLabel(attempt: AttemptRecord, opens: readonly TimelineEvent[]): string {
  let match: TimelineEvent | undefined;
  for (const event of opens) {
    if (event.atMs > attempt.startedAtMs + EVENT_ROUNDING_MS) continue;
    if (!event.detail.endsWith(` ${attempt.tokenClass}`)) continue;
    if (match === undefined || event.atMs >= match.atMs) match = event;
  }
  return match === undefined ? attempt.tokenClass : `step at ${formatMs(match.atMs)}: ${match.detail}`;
}
