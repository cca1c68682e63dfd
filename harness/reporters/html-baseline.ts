import { LATENCY_REGRESSION_RULE, type BaselineComparison } from './compare-baseline.ts';
import { escapeHtml, formatMs } from './html-text.ts';

/** States the latency rule in words, so a reader can check every flag by hand. */
export function describeLatencyRule(): string {
  const { ratio, minDeltaMs } = LATENCY_REGRESSION_RULE;
  return `A scenario's p90 handshake latency regressed when it grew by more than ${Math.round((ratio - 1) * 100)} % and by more than ${minDeltaMs} ms over the baseline's.`;
}

/** Renders the comparison with the baseline run: new and resolved findings, latency per scenario. */
export function renderBaselineSection(note: string, comparison: BaselineComparison | null): string {
  if (comparison === null) {
    return `<section id="baseline" class="panel"><h2>Compared with a baseline</h2><p class="muted">${escapeHtml(note)} Pass <code>--baseline &lt;results.json&gt;</code> to compare with a given run.</p></section>`;
  }
  const regressions = comparison.latency.filter((row) => row.regressed);
  const verdict =
    comparison.newFindings.length === 0 && regressions.length === 0
      ? '<p class="good">No new findings and no latency regression.</p>'
      : `<p class="bad">${comparison.newFindings.length} new finding(s), ${regressions.length} latency regression(s).</p>`;
  return `<section id="baseline" class="panel"><h2>Compared with a baseline</h2>
<p>${escapeHtml(note)} Run <code>${escapeHtml(comparison.baselineRunId)}</code>, started ${escapeHtml(comparison.baselineStartedAt)}, from <code>${escapeHtml(comparison.source)}</code>.</p>
${verdict}
${renderFindingList('New findings', 'new-findings', comparison.newFindings, 'scenario and code not in the baseline')}
${renderFindingList('Resolved findings', 'resolved-findings', comparison.resolvedFindings, 'in the baseline, gone now')}
${comparison.addedScenarios.length > 0 ? `<p class="muted">Scenarios not in the baseline: ${escapeHtml(comparison.addedScenarios.join(', '))}.</p>` : ''}
${renderLatencyTable(comparison)}
<p class="muted rule">${escapeHtml(describeLatencyRule())}</p>
</section>`;
}

function renderFindingList(title: string, id: string, findings: BaselineComparison['newFindings'], meaning: string): string {
  if (findings.length === 0) return '';
  const items = findings.map(
    (finding) => `<li><strong>${escapeHtml(finding.scenario)}</strong> <code>${finding.code}</code> ${escapeHtml(finding.message)}</li>`,
  );
  return `<h3>${title} <span class="muted">(${meaning})</span></h3><ul id="${id}">${items.join('')}</ul>`;
}

function renderLatencyTable(comparison: BaselineComparison): string {
  if (comparison.latency.length === 0) return '<p class="muted">No scenario has response times in both runs.</p>';
  const rows = comparison.latency.map((row) => {
    const delta = row.currentP90Ms - row.baselineP90Ms;
    const change = row.baselineP90Ms === 0 ? '–' : `${delta >= 0 ? '+' : ''}${Math.round((delta / row.baselineP90Ms) * 100)} %`;
    const flag = row.regressed ? '<span class="badge fail">regressed</span>' : '';
    return `<tr class="${row.regressed ? 'regressed' : ''}"><td>${escapeHtml(row.scenario)}</td><td class="num">${formatMs(row.baselineP90Ms)}</td><td class="num">${formatMs(row.currentP90Ms)}</td><td class="num">${delta >= 0 ? '+' : ''}${formatMs(delta)}</td><td class="num">${change}</td><td>${flag}</td></tr>`;
  });
  return `<h3>p90 handshake latency</h3><table id="latency-comparison"><thead><tr><th>scenario</th><th>baseline p90</th><th>this run p90</th><th>change</th><th>change %</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
