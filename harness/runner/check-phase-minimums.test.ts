import { describe, expect, it } from 'vitest';
import { checkPhaseMinimums } from './check-phase-minimums.ts';

describe('checkPhaseMinimums', () => {
  it('passes when every phase is long enough', () => {
    const attempts = [
      { id: 's#1', phases: { token: 1, lookup: 450 } },
      { id: 's#2', phases: { token: 1, lookup: 400 } },
    ];
    expect(checkPhaseMinimums(attempts, [{ attemptIds: ['s#1', 's#2'], minPhaseMs: { lookup: 400 } }])).toEqual([]);
  });

  it('reports short and missing phases', () => {
    const attempts: { id: string; phases?: Record<string, number> }[] = [
      { id: 's#1', phases: { token: 1, lookup: 399.9 } },
      { id: 's#2', phases: { token: 1 } },
      { id: 's#3' },
      { id: 's#4', phases: { lookup: 800 } },
    ];
    const findings = checkPhaseMinimums(attempts, [
      { attemptIds: ['s#1', 's#2', 's#3', 's#4'], minPhaseMs: { lookup: 400 } },
    ]);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.code).toBe('fault-not-exercised');
    expect(findings[0]?.attemptIds).toEqual(['s#1', 's#2', 's#3']);
    expect(findings[0]?.message).toContain('3 of 4 attempt(s) reported phase "lookup" shorter than 400 ms');
    expect(findings[0]?.evidence).toEqual(['s#1: token 1 ms, lookup 399.9 ms', 's#2: token 1 ms', 's#3: no Server-Timing phases']);
  });

  it('gives one finding per phase', () => {
    const attempts = [{ id: 's#1', phases: { limit: 10, lookup: 10 } }];
    const findings = checkPhaseMinimums(attempts, [{ attemptIds: ['s#1'], minPhaseMs: { limit: 400, lookup: 400 } }]);
    expect(findings.map((finding) => finding.message.match(/"(\w+)"/)?.[1])).toEqual(['limit', 'lookup']);
  });

  it('ignores steps without minimums', () => {
    expect(checkPhaseMinimums([{ id: 's#1' }], [])).toEqual([]);
  });
});
