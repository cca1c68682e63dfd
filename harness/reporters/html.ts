import type { AttemptRecord } from '../model/attempt.ts';
import type { RunResult, ScenarioResult } from '../model/result.ts';

/** Attempts listed per scenario; the rest are counted in the outcome matrix only. */
const MAX_ATTEMPT_ROWS = 200;

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;max-width:1200px}
h1{margin:0 0 .5rem}h2{margin:2rem 0 .5rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.pass{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;max-height:20rem;font-size:12px}
section.scenario{border-top:2px solid #d0d7de;margin-top:1.5rem}.muted{color:#57606a}
`;

/** Renders the self-contained HTML report: no script, style or font is loaded from anywhere. */
export function renderHtml(result: RunResult): string {
  const verdict = result.summary.failed === 0 ? 'PASS' : 'FAIL';
  const failedFirst = [...result.scenarios].sort((a, b) => Number(a.passed) - Number(b.passed));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${verdict} · ws-upgrade-chaos ${escapeHtml(result.runId)}</title><style>${STYLE}</style></head>
<body>
<h1 id="verdict" class="${verdict.toLowerCase()}">${verdict}</h1>
${renderRunHeader(result)}
${failedFirst.map(renderScenario).join('\n')}
</body></html>
`;
}

function renderRunHeader(result: RunResult): string {
  const { summary, backends } = result;
  const rows: [string, string][] = [
    ['run', result.runId],
    ['started', result.startedAt],
    ['duration', `${(result.durationMs / 1000).toFixed(1)} s`],
    ['scenarios', `${summary.passed} passed, ${summary.failed} failed`],
    ['attempts', String(summary.attempts)],
    ['unhandled rejections', String(summary.unhandledRejections)],
    ['uncaught exceptions', String(summary.uncaughtExceptions)],
    ['target', `${result.target.name}: ${result.target.command.join(' ')}${result.target.probe ? '' : ' (no probe: not a Node target)'}`],
    ['postgres', `${backends.postgres.kind} ${backends.postgres.version}`],
    ['toxiproxy', `${backends.toxiproxy.kind} ${backends.toxiproxy.version}`],
    ['node', result.node],
    ['seed', String(result.seed)],
  ];
  return `<table id="run">${rows.map(([key, value]) => `<tr><th>${key}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>`;
}

function renderScenario(scenario: ScenarioResult): string {
  const verdict = scenario.passed ? 'PASS' : 'FAIL';
  return `<section class="scenario" id="scenario-${escapeHtml(scenario.name)}">
<h2><span class="${verdict.toLowerCase()}">${verdict}</span> ${escapeHtml(scenario.name)}</h2>
<p>${escapeHtml(scenario.description)}</p>
<p class="muted">${scenario.attempts.length} attempts · ${(scenario.durationMs / 1000).toFixed(1)} s · tags ${escapeHtml(scenario.tags.join(', '))}${scenario.targetLog ? ` · target log <a href="${escapeHtml(scenario.targetLog)}">${escapeHtml(scenario.targetLog)}</a>` : ''}</p>
${renderFindings(scenario)}
${renderEvents(scenario)}
${renderMatrix(scenario.attempts)}
${renderAttempts(scenario.attempts)}
</section>`;
}

function renderFindings(scenario: ScenarioResult): string {
  if (scenario.findings.length === 0) return '<p class="pass">No findings.</p>';
  const items = scenario.findings.map((finding) => {
    const ids = finding.attemptIds ?? [];
    const attempts = ids.length > 0 ? `<div>attempts: ${escapeHtml(ids.slice(0, 50).join(', '))}${ids.length > 50 ? ' …' : ''}</div>` : '';
    const evidence = (finding.evidence ?? []).length > 0 ? `<pre>${escapeHtml((finding.evidence ?? []).join('\n'))}</pre>` : '';
    return `<li class="finding"><code>${finding.code}</code> ${escapeHtml(finding.message)}${attempts}${evidence}</li>`;
  });
  return `<h3>Findings</h3><ul class="findings">${items.join('')}</ul>`;
}

function renderEvents(scenario: ScenarioResult): string {
  if (scenario.events.length === 0) return '';
  const rows = scenario.events.map((event) => `<tr><td>${event.atMs} ms</td><td>${event.kind}</td><td>${escapeHtml(event.detail)}</td></tr>`);
  return `<h3>Timeline</h3><table><tr><th>at</th><th>event</th><th>detail</th></tr>${rows.join('')}</table>`;
}

/** Counts attempts per token class, expected outcome and actual outcome. */
function renderMatrix(attempts: AttemptRecord[]): string {
  const counts = new Map<string, { tokenClass: string; expected: string; actual: string; count: number; ok: number }>();
  for (const attempt of attempts) {
    const expected = attempt.expected.map((outcome) => outcome.label).join(' or ');
    const actual = describeActual(attempt);
    const key = `${attempt.tokenClass}|${expected}|${actual}`;
    const row = counts.get(key) ?? { tokenClass: attempt.tokenClass, expected, actual, count: 0, ok: 0 };
    row.count += 1;
    if (attempt.verdict === 'ok') row.ok += 1;
    counts.set(key, row);
  }
  const rows = [...counts.values()].map(
    (row) =>
      `<tr><td>${row.tokenClass}</td><td>${escapeHtml(row.expected)}</td><td>${escapeHtml(row.actual)}</td><td>${row.count}</td><td class="${row.ok === row.count ? 'pass' : 'fail'}">${row.ok}/${row.count}</td></tr>`,
  );
  return `<h3>Expected and actual outcomes</h3><table class="matrix"><tr><th>token class</th><th>expected</th><th>actual</th><th>attempts</th><th>ok</th></tr>${rows.join('')}</table>`;
}

function describeActual(attempt: AttemptRecord): string {
  if (attempt.status === null) return attempt.error === null ? 'hung' : `error ${attempt.error}`;
  if (attempt.status !== 101) return String(attempt.status);
  const close = attempt.closeCode === null ? '' : `, closed by ${attempt.closedBy} with ${attempt.closeCode}`;
  return `accept${close}`;
}

function renderAttempts(attempts: AttemptRecord[]): string {
  const failedFirst = [...attempts].sort((a, b) => Number(a.verdict === 'ok') - Number(b.verdict === 'ok'));
  const shown = failedFirst.slice(0, MAX_ATTEMPT_ROWS);
  const rows = shown.map(
    (attempt) =>
      `<tr><td>${escapeHtml(attempt.id)}</td><td>${attempt.tokenClass}</td><td class="${attempt.verdict === 'ok' ? 'pass' : 'fail'}">${attempt.verdict}</td><td>${escapeHtml(describeActual(attempt))}</td><td>${attempt.responseMs ?? ''}</td><td>${escapeHtml(attempt.identity ?? '')}</td><td>${escapeHtml(attempt.detail ?? '')}</td></tr>`,
  );
  const more = attempts.length > shown.length ? `<p class="muted">${attempts.length - shown.length} more attempts are in results.json.</p>` : '';
  return `<details><summary>Attempts (${attempts.length})</summary><table class="attempts"><tr><th>id</th><th>token class</th><th>verdict</th><th>actual</th><th>response ms</th><th>identity</th><th>detail</th></tr>${rows.join('')}</table>${more}</details>`;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
