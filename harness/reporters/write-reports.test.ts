import { mkdir, mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makeFailingRun, makePassingRun } from './fixtures.test-helper.ts';
import { writeReports } from './write-reports.ts';

async function makeReportsDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wuc-reports-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('writeReports', () => {
  it('writes the three files and the latest link', async () => {
    const dir = await makeReportsDir();
    const result = makePassingRun();
    const runDir = path.join(dir, result.runId);
    await mkdir(runDir);
    const written = await writeReports(result, runDir);
    expect(JSON.parse(await readFile(path.join(runDir, 'results.json'), 'utf8'))).toEqual(result);
    expect(await readFile(path.join(runDir, 'junit.xml'), 'utf8')).toContain('tests="2" failures="0"');
    expect(await readFile(path.join(runDir, 'index.html'), 'utf8')).toContain('<span id="verdict" class="badge pass">PASS</span>');
    expect(await readlink(path.join(dir, 'latest'))).toBe(result.runId);
    expect(written).toEqual({ baseline: { run: null, note: 'No baseline: no earlier run in this reports folder.' }, comparison: null });
  });

  it('compares with the run latest pointed to', async () => {
    const dir = await makeReportsDir();
    const first = makePassingRun();
    await mkdir(path.join(dir, first.runId));
    await writeReports(first, path.join(dir, first.runId));
    const second = makeFailingRun();
    await mkdir(path.join(dir, second.runId));
    const written = await writeReports(second, path.join(dir, second.runId));
    expect(written.comparison?.baselineRunId).toBe(first.runId);
    expect(written.comparison?.newFindings).toHaveLength(7);
    const html = await readFile(path.join(dir, second.runId, 'index.html'), 'utf8');
    expect(html).toContain(`Baseline: the previous run ${first.runId}, which reports/latest pointed to.`);
    expect(await readlink(path.join(dir, 'latest'))).toBe(second.runId);
  });
});
