import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { compareWithBaseline } from './compare-baseline.ts';
import { makeFailingRun, makePassingRun } from './fixtures.test-helper.ts';
import { appendStepSummary, renderMarkdownSummary } from './markdown-summary.ts';

async function makeSummaryFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wuc-summary-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'step-summary.md');
  await writeFile(file, '# earlier step\n');
  return file;
}

describe('appendStepSummary', () => {
  it('appends to GITHUB_STEP_SUMMARY', async () => {
    const file = await makeSummaryFile();
    expect(await appendStepSummary(makeFailingRun(), { GITHUB_STEP_SUMMARY: file })).toBe(true);
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('# earlier step\n## ws-upgrade-chaos: FAIL\n')).toBe(true);
    expect(text).toContain('| FAIL | shutdown-mid-verification | 9 | `abnormal-closure`, `wrong-status`, `exit-code` | 11.7 s |');
    expect(text).toContain('- `crash` target exited with code 1 while running');
  });

  it('does nothing without the variable', async () => {
    expect(await appendStepSummary(makePassingRun(), {})).toBe(false);
    expect(await appendStepSummary(makePassingRun(), { GITHUB_STEP_SUMMARY: '' })).toBe(false);
  });
});

describe('renderMarkdownSummary', () => {
  it('escapes table cells', () => {
    const run = makePassingRun();
    run.scenarios[0]!.name = 'a|b';
    expect(renderMarkdownSummary(run)).toContain('| PASS | a\\|b | 18 |');
  });

  it('lists new findings against a baseline', () => {
    const comparison = compareWithBaseline(makeFailingRun(), { result: makePassingRun(), source: 'b.json' });
    const text = renderMarkdownSummary(makeFailingRun(), comparison);
    expect(text).toContain(`### Compared with ${makePassingRun().runId}`);
    expect(text).toContain('- new: shutdown-mid-verification `exit-code`');
  });
});
