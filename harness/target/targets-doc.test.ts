import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { createTempDir } from './fixture-targets.ts';
import { loadTargetConfig } from './load-target-config.ts';

const DOC = readFileSync(new URL('../../docs/targets.md', import.meta.url), 'utf8');

/** Returns the first fenced block of the given language in docs/targets.md. */
function firstBlock(language: string): string {
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(DOC);
  if (match?.[1] === undefined) throw new Error(`docs/targets.md has no ${language} block`);
  return match[1];
}

describe('docs/targets.md', () => {
  it('loads the JSON example', async () => {
    const dir = await createTempDir();
    await writeFile(path.join(dir, 'schema.sql'), 'SELECT 1;\n');
    const configPath = path.join(dir, 'target.json');
    await writeFile(configPath, firstBlock('json'));

    const config = await loadTargetConfig(configPath);

    expect(config.name).toBe('chat-gateway');
    expect(config.cwd).toBe(path.dirname(dir));
    expect(config.schemaFile).toBe(path.join(dir, 'schema.sql'));
    expect(config.tokenTransport).toBe('subprotocol');
    expect(config.policy.statuses.timedOut).toBe(504);
    expect(config.policy.statuses.invalid).toBe(401);
    expect(config.settingsEnv.verifyTimeoutMs).toBe('AUTH_TIMEOUT_MS');
    expect(config.shutdown).toEqual({ signal: 'SIGINT', graceMs: 5000 });
  });

  it('lists every config field in its table', () => {
    const fields = [
      'name', 'command', 'cwd', 'env', 'runtime', 'path', 'tokenTransport', 'tokenParameter', 'readyPath',
      'readyTimeoutMs', 'leakSettleMs', 'schemaFile', 'jwt.issuer', 'jwt.audience', 'jwt.secret', 'jwt.algorithm',
      'jwt.publicKey', 'policy.statuses', 'policy.closeCodes', 'identity', 'fixtures', 'shutdown.signal',
      'shutdown.graceMs', 'settingsEnv.verifyTimeoutMs', 'settingsEnv.shutdownGraceMs', 'settingsEnv.jwtAlgorithms',
    ];
    const missing = fields.filter((field) => !DOC.includes(`| \`${field}\``));
    expect(missing).toEqual([]);
  });
});
