import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { HarnessError } from '../errors.ts';
import type { TargetConfig } from '../model/target-config.ts';
import { findFreePort } from '../environment/free-port.ts';
import { identifyProcess, TARGET_PID_PREFIX } from '../environment/owned-work-dir.ts';
import { readLogTail } from './read-log-tail.ts';
import { TargetProcess, type RunningTarget } from './target-process.ts';
import { waitUntilReady } from './wait-until-ready.ts';

export type { RunningTarget } from './target-process.ts';

export interface StartTargetOptions {
  config: TargetConfig;
  /** Variables set on top of `process.env` and `config.env`: DATABASE_URL, JWT_* and overrides. */
  env: Record<string, string>;
  /** File the target's stdout and stderr are appended to. */
  logFile: string;
  /** File the probe writes its JSON lines to; emptied before the start. */
  probeFile: string;
  logger: Logger;
  /** Address the target listens on. @default '127.0.0.1' */
  host?: string;
  /** Port the target listens on, as when it restarts on its old port. @default a free port */
  port?: number;
}

const DEFAULT_HOST = '127.0.0.1';

/** Log lines quoted in a start failure. */
const LOG_TAIL_LINES = 20;

const PROBE_URL = new URL('../probe/probe.mjs', import.meta.url).href;

/** Targets started and not yet exited, so a Ctrl-C handler can kill them all. */
const runningTargets = new Set<TargetProcess>();
let exitHookInstalled = false;
/** Folder that receives one file per running target, or null; see recordTargetPidsIn. */
let pidRecordDir: string | null = null;

/**
 * Records each target started from now on in `dir`, as `target-<pid>.json` with its process
 * identity, until it exits; null stops recording. A later run reads these files to kill the
 * targets of a harness that was killed with SIGKILL and so could not stop them.
 */
export function recordTargetPidsIn(dir: string | null): void {
  pidRecordDir = dir;
}

/**
 * Starts the target in its own process group on a free port and waits until its ready path
 * answers 200. Node targets get the probe preloaded. Throws WUC_ERR_TARGET_START_FAILED, after
 * killing the process, when it cannot be spawned, exits early or is not ready in time.
 */
export async function startTarget(options: StartTargetOptions): Promise<RunningTarget> {
  const { config, logger } = options;
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? (await findFreePort(host));
  const probeFile = config.runtime === 'node' ? options.probeFile : null;
  const child = spawnTarget(options, host, port, probeFile);
  if (child.pid === undefined) {
    const [err] = (await once(child, 'error')) as [NodeJS.ErrnoException];
    throw new HarnessError('WUC_ERR_TARGET_START_FAILED', describeSpawnFailure(config, err), { cause: err });
  }

  const target = new TargetProcess({ child: child as typeof child & { pid: number }, config, host, port, probeFile, logger });
  register(target);
  logger.debug({ targetPid: target.pid, port, command: config.command, cwd: config.cwd }, 'target spawned');

  const readyUrl = `${target.baseUrl}${config.readyPath}`;
  const outcome = await waitUntilReady({ url: readyUrl, timeoutMs: config.readyTimeoutMs, exited: target.exited });
  if (outcome.kind === 'ready') {
    logger.info({ targetPid: target.pid, port, name: config.name, waitedMs: outcome.waitedMs }, 'target ready');
    return target;
  }

  const exit = await target.kill();
  const reason =
    outcome.kind === 'exited'
      ? `exited with ${describeExit(exit)} before GET ${readyUrl} answered 200.`
      : `did not answer 200 on GET ${readyUrl} within ${config.readyTimeoutMs} ms ` +
        `(last attempt: ${outcome.lastAttempt}), so it was killed. ${suggestReadyFix(config, host, port, outcome.lastAttempt)}`;
  throw new HarnessError('WUC_ERR_TARGET_START_FAILED', `Target "${config.name}" ${reason}\n${await renderLogTail(options.logFile)}`);
}

function describeSpawnFailure(config: TargetConfig, err: NodeJS.ErrnoException): string {
  const executable = config.command[0] ?? '';
  if (err.code === 'ENOENT') {
    return (
      `Target "${config.name}" could not be started: the command "${executable}" was not found (ENOENT). ` +
      `Check that it is installed and on PATH, or give its full path in command; it was started in ${config.cwd}.`
    );
  }
  return `Target "${config.name}" could not be started: ${err.message}. Check the command "${executable}" and the folder ${config.cwd}.`;
}

/** Names the likely cause of a target that never answered 200, from its last poll. */
function suggestReadyFix(config: TargetConfig, host: string, port: number, lastAttempt: string): string {
  const readyFix =
    `Set readyPath (now "${config.readyPath}") to a path that answers 200 once upgrades are accepted, ` +
    `or raise readyTimeoutMs (now ${config.readyTimeoutMs}) if it starts slowly.`;
  const listenFix =
    `The harness passed PORT=${port} and HOST=${host}; a target that listens on another port or address ` +
    'is never ready, so make it read both variables.';
  if (/ECONNREFUSED|ECONNRESET/.test(lastAttempt)) return `Nothing accepted connections there. ${listenFix}`;
  if (lastAttempt.startsWith('status ')) return `It answered, but not with 200. ${readyFix}`;
  return `${listenFix} ${readyFix}`;
}

/** Kills every target still running, with SIGKILL to each process group, and waits for their exits. */
export async function stopAllTargets(): Promise<void> {
  await Promise.all([...runningTargets].map((target) => target.kill()));
}

function spawnTarget(options: StartTargetOptions, host: string, port: number, probeFile: string | null) {
  const { config } = options;
  const [executable = '', ...args] = config.command;
  const env: NodeJS.ProcessEnv = { ...process.env, ...config.env, ...options.env, PORT: String(port), HOST: host };
  delete env.WUC_PROBE_FILE;
  if (probeFile !== null) {
    args.unshift('--import', PROBE_URL);
    env.WUC_PROBE_FILE = probeFile;
    mkdirSync(path.dirname(probeFile), { recursive: true });
    writeFileSync(probeFile, '');
  }

  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logFd = openSync(options.logFile, 'a');
  try {
    // detached puts the target in its own process group, which stop() kills as a whole.
    return spawn(executable, args, { cwd: config.cwd, env, detached: true, stdio: ['ignore', logFd, logFd] });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(logFd);
  }
}

function register(target: TargetProcess): void {
  runningTargets.add(target);
  const pidFile = recordPid(target.pid);
  void target.exited.then(() => {
    runningTargets.delete(target);
    if (pidFile !== null) rmSync(pidFile, { force: true });
  });
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when the harness exits without stopping its targets (an uncaught error, say):
  // only synchronous work runs here, so the groups are killed without waiting.
  process.on('exit', () => {
    for (const running of runningTargets) {
      try {
        process.kill(-running.pid, 'SIGKILL');
      } catch {
        // The group is already gone, and nothing can be reported while the harness exits.
      }
    }
  });
}

function recordPid(pid: number): string | null {
  if (pidRecordDir === null) return null;
  const file = path.join(pidRecordDir, `${TARGET_PID_PREFIX}${pid}.json`);
  writeFileSync(file, `${JSON.stringify(identifyProcess(pid))}\n`);
  return file;
}

function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null } | null): string {
  if (exit === null) return 'an unknown status';
  return exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
}

async function renderLogTail(logFile: string): Promise<string> {
  const lines = await readLogTail(logFile, LOG_TAIL_LINES);
  if (lines.length === 0) return `Its log ${logFile} is empty.`;
  return [`Last ${lines.length} lines of ${logFile}:`, ...lines.map((line) => `  ${line}`)].join('\n');
}
