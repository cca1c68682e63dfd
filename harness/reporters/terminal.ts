import type { RunResult, ScenarioResult } from '../model/result.ts';
import type { BaselineComparison } from './compare-baseline.ts';

/** Header that restates the run before the first scenario. */
export function renderHeader(info: {
  scenarios: string[];
  target: { name: string; command: string[] };
  backends: RunResult['backends'];
  seed: number;
  runDir: string;
  profile?: string;
}): string {
  const { postgres, toxiproxy } = info.backends;
  return [
    `ws-upgrade-chaos: ${info.scenarios.length} scenario(s) against ${info.target.name}`,
    `  target     ${info.target.command.join(' ')}`,
    `  postgres   ${postgres.kind} (${postgres.version})`,
    `  toxiproxy  ${toxiproxy.kind} (${toxiproxy.version})`,
    `  seed       ${info.seed}`,
    ...(info.profile === undefined ? [] : [`  profile    ${info.profile}`]),
    `  reports    ${info.runDir}`,
    '',
  ].join('\n');
}

/** One plain line per finished scenario. */
export function renderScenarioLine(result: ScenarioResult, index: number, total: number): string {
  const verdict = result.passed ? 'PASS' : 'FAIL';
  const findings = result.findings.map((finding) => finding.code).join(', ');
  const tail = result.passed ? '' : `  findings: ${findings}`;
  return `[${index + 1}/${total}] ${verdict} ${result.name}  ${result.attempts.length} attempts  ${seconds(result.durationMs)}${tail}`;
}

/**
 * Renders the closing table, the unhandled-rejection banner when needed, the comparison with the
 * baseline when there is one, and where the report is.
 */
export function renderSummary(result: RunResult, reportDir: string, comparison: BaselineComparison | null = null): string {
  const rows = result.scenarios.map((scenario) => [
    scenario.passed ? 'PASS' : 'FAIL',
    scenario.name,
    String(scenario.attempts.length),
    String(scenario.findings.length),
    seconds(scenario.durationMs),
  ]);
  const table = formatTable([['result', 'scenario', 'attempts', 'findings', 'time'], ...rows]);
  const { summary } = result;
  const lines = [
    '',
    ...table,
    '',
    ...renderBanner(result),
    `Scenarios            ${summary.passed} passed, ${summary.failed} failed (${summary.scenarios})`,
    `Attempts             ${summary.attempts}`,
    `Unhandled rejections ${summary.unhandledRejections}`,
    `Uncaught exceptions  ${summary.uncaughtExceptions}`,
    `Duration             ${seconds(result.durationMs)}`,
    ...renderComparison(comparison),
    ...renderNotes(result),
    '',
    `Report: ${reportDir}/index.html`,
    `Open it with: xdg-open ${reportDir}/index.html   (or open it in any browser)`,
  ];
  return lines.join('\n');
}

/** Lists each scenario's notes: checks that could not run, which fail no scenario. */
function renderNotes(result: RunResult): string[] {
  const notes = result.scenarios.flatMap((scenario) => (scenario.notes ?? []).map((note) => `  ${scenario.name}: ${note}`));
  return notes.length === 0 ? [] : [`Notes                ${notes.length} (checks that did not run; no finding)`, ...notes];
}

function renderComparison(comparison: BaselineComparison | null): string[] {
  if (comparison === null) return [];
  const regressions = comparison.latency.filter((row) => row.regressed);
  return [
    `Baseline             ${comparison.baselineRunId}: ${comparison.newFindings.length} new finding(s), ${regressions.length} latency regression(s)`,
    ...comparison.newFindings.map((finding) => `  new  ${finding.scenario}: ${finding.code}`),
    ...regressions.map((row) => `  slow ${row.scenario}: p90 ${row.baselineP90Ms} ms -> ${row.currentP90Ms} ms`),
  ];
}

function renderBanner(result: RunResult): string[] {
  const events = result.scenarios.flatMap((scenario) =>
    (scenario.probe?.unhandledRejections ?? []).map((event) => ({ scenario: scenario.name, event })),
  );
  if (events.length === 0) return [];
  return [
    `=== ${events.length} UNHANDLED REJECTION(S) IN THE TARGET ===`,
    'A rejection nobody handles means an upgrade whose callback may never run: the client hangs,',
    'and under Node’s default mode the process crashes. Each one:',
    ...events.map(({ scenario, event }) => `- [${scenario}] ${event.stack ?? `${event.name}: ${event.message}`}`),
    '',
  ];
}

function formatTable(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
