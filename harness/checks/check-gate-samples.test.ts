import { describe, expect, it } from 'vitest';
import { checkGateSamples } from './check-gate-samples.ts';

const answered = { id: 's#1', status: 101, responseMs: 12 };
const silent = { id: 's#2', status: null, responseMs: null };

describe('checkGateSamples', () => {
  it('flags outcome counts without responses', () => {
    const findings = checkGateSamples([silent], { outcomeCounts: { accept: 0 } }, []);
    expect(findings).toEqual([
      {
        code: 'no-samples',
        message: 'expect.outcomeCounts gates accept, but none of the 1 attempt(s) got a response or open',
        attemptIds: ['s#2'],
      },
    ]);
  });

  it('flags outcome counts with no attempts', () => {
    const findings = checkGateSamples([], { outcomeCounts: { accept: 0 } }, []);
    expect(findings.map((finding) => finding.code)).toEqual(['no-samples']);
  });

  it('passes outcome counts with one response', () => {
    expect(checkGateSamples([answered, silent], { outcomeCounts: { accept: 1 } }, [])).toEqual([]);
  });

  it('flags a minimum without responses', () => {
    const findings = checkGateSamples([answered, silent], {}, [{ attemptIds: ['s#2'], minResponseMs: 5_000 }]);
    expect(findings).toEqual([
      {
        code: 'no-samples',
        message: 'minResponseMs 5000 ms had no samples: none of its 1 attempt(s) got a response or open',
        attemptIds: ['s#2'],
      },
    ]);
  });

  it('passes a minimum with one response', () => {
    expect(checkGateSamples([answered, silent], undefined, [{ attemptIds: ['s#1', 's#2'], minResponseMs: 5 }])).toEqual([]);
  });
});
