import { describe, expect, it } from 'vitest';

import type { RunResult } from '../model/result.ts';
import { makePassingRun } from './fixtures.test-helper.ts';
import { renderJunit } from './junit.ts';
import { renderSummary } from './terminal.ts';

const NOTE = 'Proxy byte counters are not available on this backend, so fault-not-exercised was not checked.';

function runWithNote(): RunResult {
  const run = makePassingRun();
  const [first, ...rest] = run.scenarios;
  if (first === undefined) throw new Error('the fixture run has no scenario');
  return { ...run, scenarios: [{ ...first, notes: [NOTE] }, ...rest] };
}

describe('scenario notes', () => {
  it('go to system-out in JUnit', () => {
    const xml = renderJunit(runWithNote());
    expect(xml).toContain(`<system-out>note: ${NOTE}</system-out>\n    </testcase>`);
    expect(xml).not.toContain('<failure');
  });

  it('are listed in the terminal summary', () => {
    const text = renderSummary(runWithNote(), 'reports/run');
    const name = runWithNote().scenarios[0]?.name;
    expect(text).toContain(`Notes                1 (checks that did not run; no finding)\n  ${name}: ${NOTE}\n`);
  });

  it('leave both outputs alone when absent', () => {
    expect(renderJunit(makePassingRun())).not.toContain('system-out');
    expect(renderSummary(makePassingRun(), 'reports/run')).not.toContain('Notes ');
  });
});
