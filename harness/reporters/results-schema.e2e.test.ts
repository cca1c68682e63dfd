import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runScenarios } from '../runner/run-scenarios.ts';
import { loadTargetConfig } from '../target/load-target-config.ts';
import failingTokens from '../../scenarios/failing-tokens.ts';
import { compileResultsSchema, describeErrors } from './results-schema.test-helper.ts';
import { writeReports } from './write-reports.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('reports of a real run', () => {
  it('match the results schema', async () => {
    const reportsDir = await mkdtemp(path.join(tmpdir(), 'wuc-schema-e2e-'));
    onTestFinished(() => rm(reportsDir, { recursive: true, force: true }));
    const target = await loadTargetConfig(path.join(ROOT, 'targets/reference.ts'));
    const { result, runDir } = await runScenarios({
      scenarios: [failingTokens],
      target,
      reportsDir,
      seed: 11,
      logger: pino({ level: 'silent' }),
    });
    const written = await writeReports(result, runDir);

    const saved: unknown = JSON.parse(await readFile(path.join(runDir, 'results.json'), 'utf8'));
    const validate = compileResultsSchema();
    const valid = validate(saved);
    expect(describeErrors(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
    expect(result.summary.attempts).toBe(36);
    expect(written.comparison).toBeNull();

    const html = await readFile(path.join(runDir, 'index.html'), 'utf8');
    expect(html).toContain('<section class="scenario');
    expect(html).toContain('data-scenario="failing-tokens"');
    expect(html).toContain('<th>postgres</th><td>embedded ');
  });
});
