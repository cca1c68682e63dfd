import { appendFile } from 'node:fs/promises';
import type { RunResult } from '../model/result.ts';
import type { BaselineComparison } from './compare-baseline.ts';
import { describeLatencyRule } from './html-baseline.ts';

/** Findings listed per failed scenario; a job summary is read at a glance, the report has all. */
const MAX_FINDINGS_LISTED = 10;

/** Renders the run as GitHub-flavoured markdown for a CI job summary. */
export function renderMarkdownSummary(result: RunResult, comparison: BaselineComparison | null = null): string {
  const { summary } = result;
  const verdict = summary.failed === 0 ? 'PASS' : 'FAIL';
  const rows = result.scenarios.map((scenario) => {
    const codes = [...new Set(scenario.findings.map((finding) => `\`${finding.code}\``))].join(', ');
    const seconds = (scenario.durationMs / 1000).toFixed(1);
    return `| ${scenario.passed ? 'PASS' : 'FAIL'} | ${escapeCell(scenario.name)} | ${scenario.attempts.length} | ${codes || 'none'} | ${seconds} s |`;
  });
  return [
    `## ws-upgrade-chaos: ${verdict}`,
    '',
    `${summary.passed} of ${summary.scenarios} scenarios passed · ${summary.attempts} attempts · ` +
      `${summary.unhandledRejections} unhandled rejections · ${summary.uncaughtExceptions} uncaught exceptions`,
    '',
    '| result | scenario | attempts | findings | time |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...renderFailures(result),
    ...renderComparison(comparison),
  ].join('\n');
}

function renderFailures(result: RunResult): string[] {
  const failed = result.scenarios.filter((scenario) => !scenario.passed);
  if (failed.length === 0) return [];
  const lines = failed.flatMap((scenario) => [
    `**${escapeCell(scenario.name)}**`,
    '',
    ...scenario.findings.slice(0, MAX_FINDINGS_LISTED).map((finding) => `- \`${finding.code}\` ${escapeCell(finding.message)}`),
    ...(scenario.findings.length > MAX_FINDINGS_LISTED ? [`- and ${scenario.findings.length - MAX_FINDINGS_LISTED} more in the report`] : []),
    '',
  ]);
  return ['### Findings', '', ...lines];
}

function renderComparison(comparison: BaselineComparison | null): string[] {
  if (comparison === null) return [];
  const regressions = comparison.latency.filter((row) => row.regressed);
  return [
    `### Compared with ${comparison.baselineRunId}`,
    '',
    `${comparison.newFindings.length} new finding(s), ${regressions.length} latency regression(s). ${describeLatencyRule()}`,
    '',
    ...comparison.newFindings.map((finding) => `- new: ${escapeCell(finding.scenario)} \`${finding.code}\``),
    ...regressions.map((row) => `- slower: ${escapeCell(row.scenario)} p90 ${row.baselineP90Ms} ms → ${row.currentP90Ms} ms`),
    '',
  ];
}

/** Keeps text from the target or a scenario from breaking the table or adding markup. */
function escapeCell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[|\\`*_<>[\]]/g, (char) => `\\${char}`);
}

/** Appends the summary to `$GITHUB_STEP_SUMMARY` when that variable names a file. */
export async function appendStepSummary(result: RunResult, env: NodeJS.ProcessEnv, comparison: BaselineComparison | null = null): Promise<boolean> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === '') return false;
  await appendFile(file, renderMarkdownSummary(result, comparison));
  return true;
}
