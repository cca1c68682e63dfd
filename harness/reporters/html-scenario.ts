import type { AttemptRecord } from '../model/attempt.ts';
import type { ScenarioResult } from '../model/result.ts';
import type { BaselineComparison } from './compare-baseline.ts';
import { describeActual, renderFindings, renderProbeEvents } from './html-findings.ts';
import { renderLatencyTable, renderOutcomeMatrix, renderStatusPanel } from './html-panels.ts';
import { renderPhasePanel } from './html-phase-panel.ts';
import { escapeHtml, formatMs } from './html-text.ts';

/** Rows of the attempts table: every failed attempt up to this many, then passing ones. */
const MAX_FAILED_ROWS = 500;
const MAX_PASSED_ROWS = 100;

/** The chart canvases; report-client.js fills each one from the embedded JSON. */
const CHARTS = [
  ['started', 'Attempts started over time, by outcome, with fault bands and markers'],
  ['scatter', 'Time to outcome per attempt (response, open, error or timeout) against start time'],
  ['connections', 'Per-connection timeline: upgrade sent, response or open, close'],
  ['inflight', 'Connections waiting for a response and connections open over time'],
  ['histogram', 'Handshake latency distribution'],
] as const;

export function renderScenarioSection(scenario: ScenarioResult, anchor: string, comparison: BaselineComparison | null): string {
  const verdict = scenario.passed ? 'PASS' : 'FAIL';
  const newCodes = new Set((comparison?.newFindings ?? []).filter((f) => f.scenario === scenario.name).map((f) => f.code));
  return `<section class="scenario ${verdict.toLowerCase()}" id="${anchor}" data-scenario="${escapeHtml(scenario.name)}">
<h2><span class="badge ${verdict.toLowerCase()}">${verdict}</span> ${escapeHtml(scenario.name)}</h2>
<p class="description">${escapeHtml(scenario.description)}</p>
<p class="muted">${renderMeta(scenario)}</p>
${renderNotes(scenario)}
${renderFindings(scenario, newCodes)}
${renderProbeEvents(scenario)}
<div class="grid">
${renderOutcomeMatrix(scenario.attempts)}
${renderStatusPanel(scenario.attempts)}
${renderLatencyTable(scenario.attempts, scenario.events)}
${renderPhasePanel(scenario.attempts, scenario.events)}
</div>
${renderCharts(anchor, scenario.attempts)}
${renderEvents(scenario)}
${renderAttempts(scenario.attempts)}
</section>`;
}

function renderMeta(scenario: ScenarioResult): string {
  const parts = [
    `${scenario.attempts.length} attempts`,
    formatMs(scenario.durationMs),
    `tags: ${escapeHtml(scenario.tags.join(', ') || 'none')}`,
  ];
  if (scenario.exit !== null) {
    const how = scenario.exit.signal === null ? `code ${scenario.exit.code}` : `signal ${scenario.exit.signal}`;
    const after = scenario.exit.afterSignalMs === null ? '' : `, ${formatMs(scenario.exit.afterSignalMs)} after the signal`;
    parts.push(`target exited with ${escapeHtml(how)}${scenario.exit.requested ? ' when asked' : ' unasked'}${after}`);
  }
  if (scenario.targetLog !== null) {
    parts.push(`target log: <a href="${escapeHtml(scenario.targetLog)}">${escapeHtml(scenario.targetLog)}</a>`);
  }
  return parts.join(' · ');
}

function renderNotes(scenario: ScenarioResult): string {
  const notes = scenario.notes ?? [];
  if (notes.length === 0) return '';
  return `<ul class="notes">${notes.map((note) => `<li>Note: ${escapeHtml(note)}</li>`).join('')}</ul>`;
}

function renderCharts(anchor: string, attempts: AttemptRecord[]): string {
  if (attempts.length === 0) return '<p class="muted">No attempts, so no charts.</p>';
  const hasResponses = attempts.some((attempt) => attempt.responseMs !== null);
  const charts = CHARTS.filter(([kind]) => kind !== 'histogram' || hasResponses);
  const figures = charts.map(
    ([kind, caption]) =>
      `<figure class="chart chart-${kind}"><figcaption>${caption}<span class="sample-note"></span></figcaption><div class="canvas-box"><canvas data-chart="${kind}" data-anchor="${anchor}" role="img" aria-label="${caption}"></canvas></div><div class="chart-legend"></div></figure>`,
  );
  const note = hasResponses ? '' : '<p class="muted">No attempt got a response, so there is no latency distribution.</p>';
  return `<div class="charts">${figures.join('')}</div>${note}`;
}

function renderEvents(scenario: ScenarioResult): string {
  if (scenario.events.length === 0) return '';
  const rows = scenario.events.map(
    (event) => `<tr><td class="num">${formatMs(event.atMs)}</td><td>${event.kind}</td><td>${escapeHtml(event.detail)}</td></tr>`,
  );
  return `<details class="events"><summary>Timeline events (${scenario.events.length})</summary><table><thead><tr><th>at</th><th>event</th><th>detail</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

function renderAttempts(attempts: AttemptRecord[]): string {
  if (attempts.length === 0) return '';
  const failed = attempts.filter((attempt) => attempt.verdict !== 'ok');
  const passed = attempts.filter((attempt) => attempt.verdict === 'ok');
  const shown = [...failed.slice(0, MAX_FAILED_ROWS), ...passed.slice(0, MAX_PASSED_ROWS)];
  const rows = shown.map((attempt) => {
    const tone = attempt.verdict === 'ok' ? 'good' : 'bad';
    const expected = attempt.expected.map((outcome) => outcome.label).join(' or ');
    return `<tr><td class="id">${escapeHtml(attempt.id)}</td><td>${attempt.tokenClass}</td><td class="${tone}">${attempt.verdict}</td><td>${escapeHtml(expected)}</td><td>${escapeHtml(describeActual(attempt))}</td><td class="num">${attempt.startedAtMs}</td><td class="num">${attempt.responseMs ?? ''}</td><td class="num">${attempt.endedAtMs ?? ''}</td><td>${escapeHtml(attempt.identity ?? '')}</td><td>${escapeHtml(attempt.error ?? '')}</td><td>${escapeHtml(attempt.detail ?? '')}</td></tr>`;
  });
  const hidden = attempts.length - shown.length;
  const note = hidden > 0 ? `<p class="muted">Showing ${shown.length} of ${attempts.length}: failed attempts first (up to ${MAX_FAILED_ROWS}), then the first ${MAX_PASSED_ROWS} passing ones. Every attempt is in results.json.</p>` : '';
  return `<details class="attempts"${failed.length > 0 ? ' open' : ''}><summary>Attempts (${attempts.length}, ${failed.length} failed)</summary>${note}<table><thead><tr><th>id</th><th>token class</th><th>verdict</th><th>expected</th><th>actual</th><th>sent ms</th><th>response ms</th><th>ended ms</th><th>identity</th><th>error</th><th>detail</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}
