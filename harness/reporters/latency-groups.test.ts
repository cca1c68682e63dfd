import { describe, expect, it } from 'vitest';

import type { TimelineEvent } from '../model/result.ts';
import { makeAttempt } from './fixtures.test-helper.ts';
import { groupByOpenStep, renderLatencyTable } from './html-panels.ts';

const EVENTS: TimelineEvent[] = [
  { atMs: 0, kind: 'open', detail: '2 × valid' },
  { atMs: 1500, kind: 'add-toxic', detail: 'slow-db: latency downstream latency=5000' },
  { atMs: 1600, kind: 'open', detail: '2 × valid' },
  { atMs: 1600, kind: 'open', detail: '1 × expired' },
];

const ATTEMPTS = [
  makeAttempt({ id: 's#1', startedAtMs: 0.2, responseMs: 20 }),
  makeAttempt({ id: 's#2', startedAtMs: 0.4, responseMs: 30 }),
  makeAttempt({ id: 's#3', startedAtMs: 1599.6, responseMs: 5010 }),
  makeAttempt({ id: 's#4', startedAtMs: 1600.3, responseMs: 5020 }),
  makeAttempt({ id: 's#5', startedAtMs: 1600.5, tokenClass: 'expired', status: 401, responseMs: 3 }),
];

describe('groupByOpenStep', () => {
  it('splits warm-up from the faulted step', () => {
    const groups = groupByOpenStep(ATTEMPTS, EVENTS);
    const ids = [...groups].map(([label, group]) => [label, group.map((attempt) => attempt.id)]);
    expect(ids).toEqual([
      ['step at 0 ms: 2 × valid', ['s#1', 's#2']],
      ['step at 1.60 s: 2 × valid', ['s#3', 's#4']],
      ['step at 1.60 s: 1 × expired', ['s#5']],
    ]);
  });

  it('uses token classes for one step', () => {
    const groups = groupByOpenStep(ATTEMPTS.slice(0, 2), EVENTS.slice(0, 1));
    expect([...groups.keys()]).toEqual(['valid']);
  });
});

describe('renderLatencyTable', () => {
  it('puts the faulted step in its own row', () => {
    const html = renderLatencyTable(ATTEMPTS, EVENTS);
    expect(html).toContain('<tr><td>step at 1.60 s: 2 × valid</td><td class="num">2</td><td class="num">5.01 s</td>');
    expect(html).toContain('<th>attempts</th><th>responses</th>');
  });
});
