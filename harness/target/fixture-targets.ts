// Helpers for tests that start tiny Node targets written into a temporary folder.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { onTestFinished } from 'vitest';
import type { TargetConfig, TargetConfigInput } from '../model/target-config.ts';
import { resolveTargetConfig } from './resolve-target-config.ts';
import { startTarget, type RunningTarget } from './start-target.ts';

export const silentLogger = pino({ level: 'silent' });

/** Creates a temporary folder that is removed when the current test finishes. */
export async function createTempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wuc-target-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface ServerParts {
  /** Code run once at start, after `import http`. */
  setup?: string;
  /** Code run for every request but /readyz, with `req`, `res` and `server` in scope. */
  routes?: string;
  /** @default 200 */
  readyStatus?: number;
}

/**
 * Writes `<name>.mjs`: an HTTP server on PORT and HOST that answers `readyStatus` on /readyz
 * and 404 on paths its routes leave alone.
 */
export async function writeServer(dir: string, name: string, parts: ServerParts): Promise<string> {
  const source = `import http from 'node:http';
${parts.setup ?? ''}
const server = http.createServer((req, res) => {
  if (req.url === '/readyz') return res.writeHead(${parts.readyStatus ?? 200}).end('ready');
${parts.routes ?? ''}
  res.writeHead(404).end();
});
server.listen(Number(process.env.PORT), process.env.HOST, () => console.log('listening'));
`;
  const file = path.join(dir, `${name}.mjs`);
  await writeFile(file, source);
  return file;
}

/** Resolves a config for a target in `dir`, as if the config file sat in that folder. */
export function fixtureConfig(dir: string, input: TargetConfigInput): TargetConfig {
  return resolveTargetConfig(input, path.join(dir, 'target.json'));
}

/** Starts a target whose log and probe file sit in `dir`; it is stopped when the test finishes. */
export async function startFixture(dir: string, config: TargetConfig, env: Record<string, string> = {}): Promise<RunningTarget> {
  const target = await startTarget({
    config,
    env,
    logFile: path.join(dir, `${config.name}.log`),
    probeFile: path.join(dir, `${config.name}.probe.jsonl`),
    logger: silentLogger,
  });
  onTestFinished(async () => {
    await target.stop();
  });
  return target;
}

export function readLog(dir: string, config: TargetConfig): string {
  return readFileSync(path.join(dir, `${config.name}.log`), 'utf8');
}

/** Sends one GET and returns the status and body; a dropped connection returns status 0. */
export function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', () => resolve({ status: 0, body }));
    });
    request.on('error', () => resolve({ status: 0, body: '' }));
  });
}

/** Polls `read` until `done` holds; throws naming `what` after `timeoutMs`. */
export async function waitUntil<T>(what: string, read: () => T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether `pid` is a live process; a zombie waiting to be reaped counts as dead. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may contain spaces.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    // No /proc entry: the process is gone.
    return false;
  }
}
