import type { RunResult } from '../model/result.ts';

/** Renders one JUnit testsuite with one testcase per scenario; findings become the failure. */
export function renderJunit(result: RunResult): string {
  const cases = result.scenarios.map((scenario) => {
    const open = `    <testcase classname="scenarios" name="${escapeXml(scenario.name)}" time="${seconds(scenario.durationMs)}">`;
    if (scenario.passed) return `${open}</testcase>`;
    const summary = scenario.findings.map((finding) => `${finding.code}: ${finding.message}`);
    const details = scenario.findings.flatMap((finding) => [
      `${finding.code}: ${finding.message}`,
      ...(finding.attemptIds ?? []).slice(0, 20).map((id) => `  attempt ${id}`),
      ...(finding.evidence ?? []).map((line) => `  ${line}`),
    ]);
    return [
      open,
      `      <failure message="${escapeXml(summary.join('; '))}" type="findings">${escapeXml(details.join('\n'))}</failure>`,
      '    </testcase>',
    ].join('\n');
  });
  const { summary } = result;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ws-upgrade-chaos" tests="${summary.scenarios}" failures="${summary.failed}" time="${seconds(result.durationMs)}">`,
    `  <testsuite name="${escapeXml(result.target.name)}" tests="${summary.scenarios}" failures="${summary.failed}" errors="0" skipped="0" timestamp="${result.startedAt}" time="${seconds(result.durationMs)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
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
