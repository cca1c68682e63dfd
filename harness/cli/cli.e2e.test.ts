import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../scenarios/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('./bin.ts', import.meta.url));

function runCli(args: string[], env: NodeJS.ProcessEnv = { LOG_LEVEL: 'silent' }) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scenarios CLI', () => {
  it('prints help with exit codes', () => {
    const { code, stdout } = runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--filter <names>');
    expect(stdout).toContain('Exit codes: 0 every check passed, 1 findings, 2 usage or configuration error,');
  });

  it('lists the default suite', () => {
    const { code, stdout } = runCli(['--list']);
    expect(code).toBe(0);
    const names = stdout.trim().split('\n').map((line) => line.split(' ')[0]);
    expect(names).toEqual(SCENARIOS.map((scenario) => scenario.name));
    // The five seed scenarios come first, in this order; newer scenarios follow them.
    expect(names.slice(0, 5)).toEqual(['failing-tokens', 'concurrency-100', 'slow-db', 'verification-timeout', 'shutdown-mid-verification']);
    expect(stdout).toMatch(/^slow-db +\[seed, database, latency\]  A 5 s latency toxic on the database link/m);
  });

  it('rejects an unknown option with exit 2', () => {
    const { code, stderr } = runCli(['--fliter', 'slow-db']);
    expect(code).toBe(2);
    expect(stderr).toContain('error WUC_ERR_USAGE_UNKNOWN_OPTION: unknown option "--fliter"');
  });

  it('rejects an unknown scenario with exit 2', () => {
    const { code, stderr } = runCli(['--filter', 'slow-dbb']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown scenario "slow-dbb"; known scenarios: failing-tokens,');
  });

  it('names a filter and tag that do not meet', () => {
    const { code, stderr } = runCli(['--filter', 'failing-tokens', '--tag', 'shutdown']);
    expect(code).toBe(2);
    expect(stderr).toContain('no scenario named in --filter has tag "shutdown"; drop one of the two options');
  });

  it('lists known tags for an unknown tag', () => {
    const { code, stderr } = runCli(['--tag', 'shutdwn']);
    expect(code).toBe(2);
    expect(stderr).toContain('no scenario has tag "shutdwn"; known tags: abort,');
  });

  it('rejects a bad seed with exit 2', () => {
    const { code, stderr } = runCli(['--seed', '-4']);
    expect(code).toBe(2);
    expect(stderr).toContain('--seed "-4" is invalid');
  });

  it('rejects a missing target config with exit 2', () => {
    const { code, stderr } = runCli(['--target', 'targets/does-not-exist.ts']);
    expect(code).toBe(2);
    expect(stderr).toContain('WUC_ERR_TARGET_CONFIG_INVALID');
    expect(stderr).toContain('does-not-exist.ts');
  });
});

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** Writes a target config into a fresh folder and returns the folder and the config path. */
async function writeTarget(config: Record<string, unknown>, serverSource?: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'wuc-cli-target-'));
  folders.push(dir);
  if (serverSource !== undefined) await writeFile(path.join(dir, 'server.mjs'), serverSource);
  const file = path.join(dir, 'target.json');
  await writeFile(file, JSON.stringify(config));
  return { dir, file, reportsDir: path.join(dir, 'reports') };
}

describe('scenarios CLI with a broken target', () => {
  it.each([
    ['a missing command', { command: ['wuc-no-such-command'] }, undefined, 'the command "wuc-no-such-command" was not found (ENOENT)'],
    ['an early exit', { command: ['node', 'server.mjs'] }, "console.error('config missing'); process.exit(5);", 'exited with code 5 before GET'],
    [
      'a fixed port',
      { command: ['node', 'server.mjs'], readyTimeoutMs: 1_500 },
      "import http from 'node:http'; http.createServer((q, s) => s.end()).listen(0, '127.0.0.1');",
      'The harness passed PORT=',
    ],
  ])('stops the run once on %s', async (_, config, source, reason) => {
    const { file, reportsDir } = await writeTarget({ ...config, identity: null }, source);

    const { code, stdout, stderr } = runCli(['--filter', 'failing-tokens,slow-db', '--target', file, '--reports-dir', reportsDir], {
      LOG_LEVEL: 'warn',
    });

    expect(code).toBe(3);
    expect(stdout).toBe('');
    const errors = stderr.split('\n').filter((line) => line.startsWith('error '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('error WUC_ERR_TARGET_START_FAILED: Target "target" ');
    expect(stderr).toContain(reason);
    expect(stderr).not.toContain('running slow-db');
    expect(stderr.match(/ENOENT/g)?.length ?? 0).toBeLessThanOrEqual(1);
    // No pino line reaches the terminal at the default level.
    expect(stderr).not.toMatch(/^\{"level"/m);
    expect(existsSync(path.join(reportsDir, 'latest'))).toBe(false);
    const [runId] = await readdir(reportsDir);
    const results = JSON.parse(await readFile(path.join(reportsDir, runId ?? '', 'results.json'), 'utf8'));
    expect(results.interrupted).toBe(true);
    expect(results.stopReason).toMatch(/^WUC_ERR_TARGET_START_FAILED: Target "target" /);
  });

  it('shows the log tail of an early exit', async () => {
    const { file, reportsDir } = await writeTarget(
      { command: ['node', 'server.mjs'], identity: null },
      "console.error('JWT_SECRET is not set'); process.exit(1);",
    );

    const { code, stderr } = runCli(['--filter', 'failing-tokens', '--target', file, '--reports-dir', reportsDir]);

    expect(code).toBe(3);
    expect(stderr).toMatch(/Last 1 lines of .*failing-tokens\/target\.log:\n {2}JWT_SECRET is not set/);
  });

  it('rejects DATABASE_URL=notaurl with exit 2', async () => {
    const reportsDir = await mkdtemp(path.join(tmpdir(), 'wuc-cli-reports-'));
    folders.push(reportsDir);

    const { code, stderr } = runCli(['--filter', 'slow-db', '--reports-dir', reportsDir], { LOG_LEVEL: 'silent', DATABASE_URL: 'notaurl' });

    expect(code).toBe(2);
    expect(stderr).toContain("error WUC_ERR_USAGE_INVALID_ENV: DATABASE_URL is invalid: 'notaurl' is not a valid URL");
    expect(stderr).toContain('postgres://user:password@host:port/database');
    expect(await readdir(reportsDir)).toEqual([]);
  });

  it('rejects an unknown profile with exit 2', () => {
    const { code, stderr } = runCli(['--profile', 'slow']);

    expect(code).toBe(2);
    expect(stderr).toContain('--profile "slow" is invalid; give one of quick, full');
  });
});
