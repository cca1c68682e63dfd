/** Configuration mistakes that only show once a run starts end it with exit code 2. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { HarnessError } from '../harness/errors.ts';
import { runScenarios } from '../harness/runner/run-scenarios.ts';
import { createTempDir, fixtureConfig } from '../harness/target/fixture-targets.ts';
import failingTokens from '../scenarios/failing-tokens.ts';

const logger = pino({ level: 'silent' });

async function runError(options: Parameters<typeof runScenarios>[0]): Promise<HarnessError> {
  const error = await runScenarios(options).then(
    () => new Error('the run finished'),
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof HarnessError)) throw error;
  return error;
}

describe('runScenarios configuration errors', () => {
  it('names a schema file Postgres rejects', async () => {
    const dir = await createTempDir();
    const schemaFile = path.join(dir, 'schema.sql');
    await writeFile(schemaFile, 'CREATE TABLE users (id text);\nSELEC 1;\n');
    const target = fixtureConfig(dir, { command: ['node', 'absent.mjs'], schemaFile: 'schema.sql' });

    const error = await runError({ scenarios: [failingTokens], target, reportsDir: dir, seed: 1, logger });

    expect(error.code).toBe('WUC_ERR_TARGET_CONFIG_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      `schemaFile ${schemaFile}: The schema failed at line 2, column 1 (SELEC 1;): syntax error at or near "SELEC". Fix the schema SQL.`,
    );
  }, 60_000);

  it('names a reports folder it cannot create', async () => {
    const dir = await createTempDir();
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const target = fixtureConfig(dir, { command: ['node', 'absent.mjs'] });

    const error = await runError({ scenarios: [failingTokens], target, reportsDir: file, seed: 1, logger });

    expect(error.code).toBe('WUC_ERR_USAGE_INVALID_OPTION');
    expect(error.message).toMatch(new RegExp(`^--reports-dir ${file} cannot hold the run folder \\S+ \\(ENOTDIR\\); give a folder this user can write to$`));
  });
});
