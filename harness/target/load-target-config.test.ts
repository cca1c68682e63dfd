import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { REFERENCE_POLICY } from '../model/policy.ts';
import { createTempDir } from './fixture-targets.ts';
import { loadTargetConfig } from './load-target-config.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function loadError(file: string): Promise<HarnessError> {
  const error = await loadTargetConfig(file).then(
    () => new Error('the config loaded'),
    (err: unknown) => err,
  );
  if (!(error instanceof HarnessError)) throw error;
  return error;
}

describe('loadTargetConfig', () => {
  it('loads the reference config', async () => {
    const configPath = path.join(ROOT, 'targets/reference.ts');

    const config = await loadTargetConfig(configPath);

    expect(config.name).toBe('reference');
    expect(config.configPath).toBe(configPath);
    expect(config.command).toEqual(['node', '--import', 'tsx', 'server/main.ts']);
    expect(config.cwd).toBe(ROOT);
    expect(config.runtime).toBe('node');
    expect(config.schemaFile).toBe(path.join(ROOT, 'server/schema.sql'));
    expect(config.identity).toEqual({ messageType: 'welcome', userIdField: 'userId' });
    expect(config.settingsEnv).toEqual({
      verifyTimeoutMs: 'VERIFY_TIMEOUT_MS',
      shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
      jwtAlgorithms: 'JWT_ALGORITHMS',
    });
    expect(config.jwt.algorithm).toBe('HS256');
    expect(config.jwt.publicKey).toContain('-----BEGIN PUBLIC KEY-----');
    expect(config.jwt.privateKey).toContain('-----BEGIN PRIVATE KEY-----');
    expect(config.shutdown).toEqual({ signal: 'SIGTERM', graceMs: 10_000 });
    expect(config.jwt.issuer).toBe('ws-upgrade-chaos');
    expect(config.jwt.audience).toBe('ws-upgrade-chaos-clients');
    expect(config.policy).toEqual(REFERENCE_POLICY);
    expect(config.path).toBe('/ws?channel=lobby');
    expect(config.tokenTransport).toBe('authorization-header');
    expect(config.readyPath).toBe('/readyz');
    expect(config.readyTimeoutMs).toBe(30_000);
    expect(config.fixtures.validUserCount).toBe(1000);
  });

  it('loads a JSON config', async () => {
    const dir = await createTempDir();
    const file = path.join(dir, 'chat.json');
    await writeFile(file, JSON.stringify({ command: ['./chat-server'], readyPath: '/health' }));

    const config = await loadTargetConfig(file);

    expect(config.name).toBe('chat');
    expect(config.cwd).toBe(dir);
    expect(config.runtime).toBe('other');
    expect(config.readyPath).toBe('/health');
  });

  it('loads an .mjs config', async () => {
    const dir = await createTempDir();
    const file = path.join(dir, 'plain.mjs');
    await writeFile(file, "export default { command: ['node', 'server.mjs'], shutdown: { graceMs: 2000 } };\n");

    const config = await loadTargetConfig(file);

    expect(config.shutdown).toEqual({ signal: 'SIGTERM', graceMs: 2000 });
  });

  it('reports a missing file', async () => {
    const file = path.join(ROOT, 'targets/no-such-target.ts');

    const error = await loadError(file);

    expect(error.code).toBe('WUC_ERR_TARGET_CONFIG_INVALID');
    expect(error.message).toBe(`Target config not found: ${file}. Check the --target path.`);
  });

  it('reports a folder', async () => {
    const dir = await createTempDir();
    const folder = path.join(dir, 'config.json');
    await mkdir(folder);

    const error = await loadError(folder);

    expect(error.message).toBe(`Target config ${folder} is not a file. Pass the path of a .ts, .mts, .js, .mjs, .json file.`);
  });

  it('reports an unsupported extension', async () => {
    const error = await loadError(path.join(ROOT, 'targets/reference.yaml'));

    expect(error.message).toContain('has an unsupported extension ".yaml"; use one of .ts, .mts, .js, .mjs, .json.');
  });

  it('reports invalid JSON', async () => {
    const dir = await createTempDir();
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{ "command": ["node", }');

    const error = await loadError(file);

    expect(error.code).toBe('WUC_ERR_TARGET_CONFIG_INVALID');
    expect(error.message).toContain(`Target config ${file} is not valid JSON: `);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('reports a module that throws', async () => {
    const dir = await createTempDir();
    const file = path.join(dir, 'throws.mjs');
    await writeFile(file, "throw new Error('config exploded');\nexport default {};\n");

    const error = await loadError(file);

    expect(error.message).toBe(`Target config ${file} could not be loaded: config exploded. Fix the error in that file.`);
  });

  it('reports a missing default export', async () => {
    const dir = await createTempDir();
    const file = path.join(dir, 'named.mjs');
    await writeFile(file, "export const target = { command: ['node'] };\n");

    const error = await loadError(file);

    expect(error.message).toBe(
      `Target config ${file} has no \`export default\`, so it is not loaded: it may be the server itself. ` +
        'Pass a config file that does `export default defineTarget({ command: [...] })`, or a .json config.',
    );
  });

  it('does not run a server passed as config', async () => {
    const dir = await createTempDir();
    const file = path.join(dir, 'server.mjs');
    const marker = path.join(dir, 'ran');
    await writeFile(file, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\n`);

    const error = await loadError(file);

    expect(error.code).toBe('WUC_ERR_TARGET_CONFIG_INVALID');
    expect(existsSync(marker)).toBe(false);
  });

  it('loads a default export by name', async () => {
    const dir = await createTempDir();
    const file = path.join(dir, 'named.mjs');
    await writeFile(file, "const target = { command: ['node', 'x.mjs'] };\nexport { target as default };\n");

    expect((await loadTargetConfig(file)).command).toEqual(['node', 'x.mjs']);
  });

  it('names the file of an invalid field', async () => {
    const dir = await createTempDir();
    const file = path.join(dir, 'slow.json');
    await writeFile(file, JSON.stringify({ command: ['node', 'server.js'], readyTimeoutMs: 0 }));

    const error = await loadError(file);

    expect(error.message).toBe(`Invalid target config ${file}: readyTimeoutMs is 0; expected an integer from 100 to 600000 (ms).`);
  });
});
