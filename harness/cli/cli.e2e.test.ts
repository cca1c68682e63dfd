import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('./bin.ts', import.meta.url));

function runCli(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, LOG_LEVEL: 'silent' },
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
    expect(names).toEqual([
      'failing-tokens',
      'concurrency-100',
      'slow-db',
      'verification-timeout',
      'shutdown-mid-verification',
      'bad-tokens-burst',
      'database-down-no-admit',
      'idle-at-shutdown',
      'shutdown-queued-queries',
      'identity-reordering',
      'rate-limit-slow-lookup',
      'token-expiry-close',
    ]);
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
