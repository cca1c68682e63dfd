import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { HarnessError } from '../errors.ts';
import type { RunResult } from '../model/result.ts';
import { makeFailingRun, makePassingRun } from './fixtures.test-helper.ts';
import { choosePreviousRun, loadBaseline } from './load-baseline.ts';

async function makeReportsDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wuc-baseline-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function writeRun(reportsDir: string, result: RunResult): Promise<string> {
  const runDir = path.join(reportsDir, result.runId);
  await mkdir(runDir, { recursive: true });
  await writeFile(path.join(runDir, 'results.json'), JSON.stringify(result));
  return runDir;
}

describe('loadBaseline', () => {
  it('reads a results.json', async () => {
    const dir = await makeReportsDir();
    const runDir = await writeRun(dir, makePassingRun());
    const run = await loadBaseline(path.join(runDir, 'results.json'));
    expect(run.result.runId).toBe(makePassingRun().runId);
  });

  it('rejects a missing file', async () => {
    const error = await loadBaseline('/nonexistent/results.json').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('WUC_ERR_USAGE_INVALID_OPTION');
    expect((error as HarnessError).message).toBe('--baseline "/nonexistent/results.json" cannot be read; give the path of a results.json from an earlier run');
  });

  it('rejects JSON that is no results.json', async () => {
    const dir = await makeReportsDir();
    const file = path.join(dir, 'other.json');
    await writeFile(file, '{"schemaVersion":2}');
    await expect(loadBaseline(file)).rejects.toThrow(`--baseline "${file}" is not a results.json with schemaVersion 1`);
    await writeFile(file, 'not json');
    await expect(loadBaseline(file)).rejects.toThrow(`--baseline "${file}" is not valid JSON`);
  });
});

describe('choosePreviousRun', () => {
  it('picks the run latest points to', async () => {
    const dir = await makeReportsDir();
    const previous = await writeRun(dir, makePassingRun());
    await symlink(path.basename(previous), path.join(dir, 'latest'), 'dir');
    const current = makeFailingRun();
    const choice = await choosePreviousRun(path.join(dir, current.runId), current);
    expect(choice.run?.result.runId).toBe(makePassingRun().runId);
    expect(choice.note).toBe(`Baseline: the previous run ${makePassingRun().runId}, which reports/latest pointed to.`);
  });

  it('skips a run of another target', async () => {
    const dir = await makeReportsDir();
    const other = { ...makePassingRun(), target: { name: 'broken', command: ['node', 'broken.js'], probe: true } };
    await symlink(path.basename(await writeRun(dir, other)), path.join(dir, 'latest'), 'dir');
    const choice = await choosePreviousRun(path.join(dir, 'now'), makeFailingRun());
    expect(choice.run).toBeNull();
    expect(choice.note).toBe(`No baseline: the previous run ${other.runId} tested another target (broken).`);
  });

  it('has none in an empty folder', async () => {
    const dir = await makeReportsDir();
    const choice = await choosePreviousRun(path.join(dir, 'now'), makeFailingRun());
    expect(choice).toEqual({ run: null, note: 'No baseline: no earlier run in this reports folder.' });
  });

  it('skips a run without results.json', async () => {
    const dir = await makeReportsDir();
    await mkdir(path.join(dir, 'interrupted'));
    await symlink('interrupted', path.join(dir, 'latest'), 'dir');
    const choice = await choosePreviousRun(path.join(dir, 'now'), makeFailingRun());
    expect(choice).toEqual({ run: null, note: 'No baseline: the previous run interrupted has no readable results.json.' });
  });
});
