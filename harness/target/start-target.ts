import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { HarnessError } from '../errors.ts';
import type { TargetConfig } from '../model/target-config.ts';
import { findFreePort } from '../environment/free-port.ts';
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
}

const DEFAULT_HOST = '127.0.0.1';

/** Log lines quoted in a start failure. */
const LOG_TAIL_LINES = 20;

const PROBE_URL = new URL('../probe/probe.mjs', import.meta.url).href;

/** Targets started and not yet exited, so a Ctrl-C handler can kill them all. */
const runningTargets = new Set<TargetProcess>();
let exitHookInstalled = false;

/**
 * Starts the target in its own process group on a free port and waits until its ready path
 * answers 200. Node targets get the probe preloaded. Throws WUC_ERR_TARGET_START_FAILED, after
 * killing the process, when it cannot be spawned, exits early or is not ready in time.
 */
export async function startTarget(options: StartTargetOptions): Promise<RunningTarget> {
  const { config, logger } = options;
  const host = options.host ?? DEFAULT_HOST;
  const port = await findFreePort(host);
  const probeFile = config.runtime === 'node' ? options.probeFile : null;
  const child = spawnTarget(options, host, port, probeFile);
  if (child.pid === undefined) {
    const [err] = (await once(child, 'error')) as [Error];
    const fix = `Check that "${config.command[0]}" is installed and on PATH, and that the folder ${config.cwd} exists.`;
    throw new HarnessError('WUC_ERR_TARGET_START_FAILED', `Target "${config.name}" could not be started: ${err.message}. ${fix}`, { cause: err });
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
      ? `exited with ${describeExit(exit)} before GET ${readyUrl} answered 200`
      : `did not answer 200 on GET ${readyUrl} within ${config.readyTimeoutMs} ms (last attempt: ${outcome.lastAttempt}), so it was killed; fix readyPath or raise readyTimeoutMs`;
  throw new HarnessError('WUC_ERR_TARGET_START_FAILED', `Target "${config.name}" ${reason}.\n${await renderLogTail(options.logFile)}`);
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
  void target.exited.then(() => runningTargets.delete(target));
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

function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null } | null): string {
  if (exit === null) return 'an unknown status';
  return exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
}

async function renderLogTail(logFile: string): Promise<string> {
  const lines = await readLogTail(logFile, LOG_TAIL_LINES);
  if (lines.length === 0) return `Its log ${logFile} is empty.`;
  return [`Last ${lines.length} lines of ${logFile}:`, ...lines.map((line) => `  ${line}`)].join('\n');
}
