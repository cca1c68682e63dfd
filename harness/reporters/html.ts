import type { RunResult, ScenarioResult } from '../model/result.ts';
import { buildChartData } from './chart-data.ts';
import { compareWithBaseline, type BaselineChoice } from './compare-baseline.ts';
import { renderBaselineSection } from './html-baseline.ts';
import { renderScenarioSection } from './html-scenario.ts';
import { escapeHtml, formatMs, serializeJsonForScript, toAnchor } from './html-text.ts';
import { computeAttemptLatency } from './latency-stats.ts';
import { loadReportAssets } from './report-assets.ts';

export { escapeHtml } from './html-text.ts';

export interface HtmlOptions {
  /** Run to compare with. When left out, the report states that no baseline was given. */
  baseline?: BaselineChoice;
}

/**
 * Renders the self-contained HTML report: Chart.js, the styles and the data are inlined, and
 * nothing is loaded from anywhere. Failed scenarios come first.
 */
export function renderHtml(result: RunResult, options: HtmlOptions = {}): string {
  const assets = loadReportAssets();
  const verdict = result.summary.failed === 0 ? 'PASS' : 'FAIL';
  const ordered = result.scenarios
    .map((scenario, index) => ({ scenario, anchor: toAnchor(scenario.name, index) }))
    .sort((a, b) => Number(a.scenario.passed) - Number(b.scenario.passed));
  const baseline = options.baseline ?? { run: null, note: 'No baseline: none was given to the reporter.' };
  const comparison = baseline.run === null ? null : compareWithBaseline(result, baseline.run);
  const data = { scenarios: ordered.map(({ scenario, anchor }) => ({ anchor, name: scenario.name, chart: buildChartData(scenario) })) };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${verdict} · ws-upgrade-chaos ${escapeHtml(result.runId)}</title>
<style>${assets.css}</style></head>
<body>
${renderRunHeader(result, verdict)}
${renderBaselineSection(baseline.note, comparison)}
${renderScenarioIndex(ordered)}
<main>
${ordered.map(({ scenario, anchor }) => renderScenarioSection(scenario, anchor, comparison)).join('\n')}
</main>
<footer class="muted">Charts drawn with Chart.js (MIT licence), inlined. Data for every attempt: results.json in this folder.</footer>
<script type="application/json" id="report-data">${serializeJsonForScript(data)}</script>
<script>${assets.chartJs}</script>
<script>${assets.client}</script>
</body></html>
`;
}

function renderRunHeader(result: RunResult, verdict: string): string {
  const { summary, backends, target } = result;
  const problems = summary.unhandledRejections + summary.uncaughtExceptions > 0;
  const cards: [string, string, string][] = [
    ['scenarios', `${summary.passed} passed · ${summary.failed} failed`, summary.failed > 0 ? 'bad' : 'good'],
    ['attempts', String(summary.attempts), ''],
    ['unhandled rejections', String(summary.unhandledRejections), summary.unhandledRejections > 0 ? 'bad' : 'good'],
    ['uncaught exceptions', String(summary.uncaughtExceptions), summary.uncaughtExceptions > 0 ? 'bad' : 'good'],
    ['duration', formatMs(result.durationMs), ''],
  ];
  const facts: [string, string][] = [
    ['target', `${target.name}: ${target.command.join(' ')}`],
    ['probe', target.probe ? 'loaded (Node target): rejections and exceptions are counted' : 'not loaded (not a Node target): rejections and exceptions cannot be counted'],
    ['node', result.node],
    ['postgres', `${backends.postgres.kind} ${backends.postgres.version}`],
    ['proxy', `toxiproxy ${backends.toxiproxy.kind} ${backends.toxiproxy.version}`],
    ['seed', String(result.seed)],
    ['profile', result.profile],
    ['started', result.startedAt],
  ];
  return `<header id="run">
<h1><span id="verdict" class="badge ${verdict.toLowerCase()}">${verdict}</span> ws-upgrade-chaos run <code>${escapeHtml(result.runId)}</code></h1>
<div class="cards">${cards.map(([label, value, tone]) => `<div class="card ${tone}"><div class="value">${escapeHtml(value)}</div><div class="label">${label}</div></div>`).join('')}</div>
${result.interrupted === true ? renderInterrupted(result) : ''}
${problems ? '<p class="alert">The target had unhandled rejections or uncaught exceptions: their stacks are under the scenarios below.</p>' : ''}
<table class="facts">${facts.map(([key, value]) => `<tr><th>${key}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>
</header>`;
}

/** Banner of a run that stopped early: the reason and how much of the run the page shows. */
function renderInterrupted(result: RunResult): string {
  const reason = result.stopReason ?? 'no reason recorded';
  const text = `Interrupted: this run stopped before its last scenario (${reason}). Only the ${result.summary.scenarios} scenario(s) that finished are shown.`;
  return `<p class="alert" id="interrupted">${escapeHtml(text)}</p>`;
}

function renderScenarioIndex(ordered: { scenario: ScenarioResult; anchor: string }[]): string {
  const rows = ordered.map(({ scenario, anchor }) => {
    const verdict = scenario.passed ? 'PASS' : 'FAIL';
    const codes = [...new Set(scenario.findings.map((finding) => finding.code))];
    const latency = computeAttemptLatency(scenario.attempts);
    return `<tr><td><span class="badge ${verdict.toLowerCase()}">${verdict}</span></td><td><a href="#${anchor}">${escapeHtml(scenario.name)}</a></td><td class="num">${scenario.attempts.length}</td><td>${codes.map((code) => `<code>${code}</code>`).join(' ') || '–'}</td><td class="num">${formatMs(latency?.p50Ms ?? null)}</td><td class="num">${formatMs(latency?.p90Ms ?? null)}</td><td class="num">${formatMs(latency?.p99Ms ?? null)}</td><td class="num">${formatMs(scenario.durationMs)}</td></tr>`;
  });
  return `<nav id="scenario-index"><h2>Scenarios</h2>
<table><thead><tr><th>result</th><th>scenario</th><th>attempts</th><th>findings</th><th>p50</th><th>p90</th><th>p99</th><th>duration</th></tr></thead><tbody>${rows.join('')}</tbody></table></nav>`;
}
