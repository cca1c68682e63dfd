import { appendFile } from 'node:fs/promises';
import type { RunResult } from '../model/result.ts';

/** Renders the run as GitHub-flavoured markdown for a CI job summary. */
export function renderMarkdownSummary(result: RunResult): string {
  const { summary } = result;
  const verdict = summary.failed === 0 ? 'PASS' : 'FAIL';
  const rows = result.scenarios.map((scenario) => {
    const codes = [...new Set(scenario.findings.map((finding) => `\`${finding.code}\``))].join(', ');
    const seconds = (scenario.durationMs / 1000).toFixed(1);
    return `| ${scenario.passed ? 'PASS' : 'FAIL'} | ${scenario.name} | ${scenario.attempts.length} | ${codes || 'none'} | ${seconds} s |`;
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
  ].join('\n');
}

/** Appends the summary to `$GITHUB_STEP_SUMMARY` when that variable names a file. */
export async function appendStepSummary(result: RunResult, env: NodeJS.ProcessEnv): Promise<boolean> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === '') return false;
  await appendFile(file, renderMarkdownSummary(result));
  return true;
}
