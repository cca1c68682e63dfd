/** The standalone server run as a real child process, the way `npm run toxiproxy` runs it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it, onTestFinished } from 'vitest';

import { withDeadline } from './conformance-fixture.ts';

const BIN = fileURLToPath(new URL('./bin.ts', import.meta.url));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startBin(args: string[]): { child: ChildProcess; finished: Promise<Finished> } {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => {
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, finished };
}

async function runBin(args: string[]): Promise<Finished> {
  return withDeadline(startBin(args).finished, 20_000, `toxiproxy bin ${args.join(' ')} to exit`);
}

/** Resolves with the API URL from the "toxiproxy ready" log line, logged after `--config`. */
function apiUrlOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((entry) => entry.includes('"msg":"toxiproxy ready"'));
      if (line !== undefined) resolve(JSON.parse(line).url as string);
    });
  });
}

async function tempFile(name: string, content: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'toxiproxy-bin-'));
  onTestFinished(() => rm(folder, { recursive: true, force: true }));
  const path = join(folder, name);
  await writeFile(path, content);
  return path;
}

describe('toxiproxy bin', () => {
  it('exits 2 on an unknown flag', async () => {
    const result = await runBin(['--listen', '1']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown option "--listen"');
  });

  it('exits 2 on an invalid port', async () => {
    const result = await runBin(['--port', 'eighty']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('option --port must be an integer from 0 to 65535');
  });

  it('exits 2 when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = String((blocker.address() as AddressInfo).port);

    const result = await runBin(['--port', port]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
  });

  it('exits 2 when the config file is missing', async () => {
    const result = await runBin(['--port', '0', '--config', '/nonexistent/proxies.json']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read "/nonexistent/proxies.json"');
  });

  it('exits 2 when the config is invalid', async () => {
    const path = await tempFile('proxies.json', JSON.stringify([{ name: 'no_upstream' }]));

    const result = await runBin(['--port', '0', '--config', path]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing required field: upstream at proxy 1');
  });

  it('prints help and exits 0', async () => {
    const result = await runBin(['--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--config <file>');
  });

  it('serves the config proxies and stops on SIGTERM', async () => {
    const config = [{ name: 'from_config', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' }];
    const path = await tempFile('proxies.json', JSON.stringify(config));
    const { child, finished } = startBin(['--port', '0', '--config', path, '--seed', '3']);

    const url = await withDeadline(apiUrlOf(child), 20_000, 'the ready log line');
    const proxies = (await (await fetch(`${url}/proxies`)).json()) as Record<string, unknown>;
    child.kill('SIGTERM');
    const result = await withDeadline(finished, 10_000, 'the bin to exit after SIGTERM');

    expect(Object.keys(proxies)).toEqual(['from_config']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"msg":"shutting down"');
    expect(result.stdout).toContain('"msg":"toxiproxy API stopped"');
  });
});
