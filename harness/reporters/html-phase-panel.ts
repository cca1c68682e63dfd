import type { AttemptRecord } from '../model/attempt.ts';
import type { TimelineEvent } from '../model/result.ts';
import { groupByOpenStep } from './html-panels.ts';
import { escapeHtml, formatMs } from './html-text.ts';

/** Median duration per phase over the attempts that reported it. */
export interface PhaseMedians {
  /** Attempts with a `phases` record. */
  count: number;
  /** Median in ms by phase name, in the order the names first appear. */
  mediansMs: Map<string, number>;
}

/** Computes each phase's median over the attempts that reported it; null when none did. */
export function computePhaseMedians(attempts: readonly AttemptRecord[]): PhaseMedians | null {
  const samples = new Map<string, number[]>();
  let count = 0;
  for (const attempt of attempts) {
    if (attempt.phases === undefined) continue;
    count += 1;
    for (const [phase, ms] of Object.entries(attempt.phases)) {
      const list = samples.get(phase) ?? [];
      list.push(ms);
      samples.set(phase, list);
    }
  }
  if (count === 0) return null;
  const mediansMs = new Map([...samples].map(([phase, values]) => [phase, median(values)] as const));
  return { count, mediansMs };
}

/**
 * Renders the median time of each verification phase the target reported in `Server-Timing`,
 * for all attempts and per open step. Returns '' when no attempt carried phase timings.
 */
export function renderPhasePanel(attempts: readonly AttemptRecord[], events: readonly TimelineEvent[] = []): string {
  const all = computePhaseMedians(attempts);
  if (all === null) return '';
  const rows: [string, PhaseMedians | null][] = [['all attempts', all]];
  const groups = groupByOpenStep(attempts, events);
  if (groups.size > 1) for (const [label, group] of groups) rows.push([label, computePhaseMedians(group)]);

  const phases = [...all.mediansMs.keys()];
  const head = phases.map((phase) => `<th>${escapeHtml(phase)}</th>`).join('');
  const body = rows.map(([label, medians]) => {
    const cells = phases.map((phase) => {
      const ms = medians?.mediansMs.get(phase);
      return ms === undefined ? '<td class="num muted">–</td>' : `<td class="num">${formatMs(ms)}</td>`;
    });
    return `<tr><td>${escapeHtml(label)}</td><td class="num">${medians?.count ?? 0}</td>${cells.join('')}</tr>`;
  });
  return `<div class="panel phases"><h4>Verification phases (median, from Server-Timing)</h4><table class="latency"><thead><tr><th>attempts</th><th>with timings</th>${head}</tr></thead><tbody>${body.join('')}</tbody></table><p class="muted">A dash means no attempt in that row reported the phase, for example a rejection before it.</p></div>`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? upper) + upper) / 2;
}
