import { readFileSync } from 'node:fs';
import type { ProbeEvent, ProbeReport } from '../model/target.ts';

/** What a probe that never wrote a line reports. */
export function emptyProbeReport(): ProbeReport {
  return { loaded: false, unhandledRejections: [], uncaughtExceptions: [], crash: null, resources: null };
}

/**
 * Parses the JSON lines the probe appended to `probeFile`. A line that does not parse (the
 * target died while writing it) is skipped; a missing file means the probe never loaded.
 */
export function readProbeReport(probeFile: string): ProbeReport {
  let text: string;
  try {
    text = readFileSync(probeFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyProbeReport();
    throw err;
  }

  const report = emptyProbeReport();
  for (const line of text.split('\n')) {
    const record = parseLine(line);
    if (record !== null) addRecord(report, record);
  }
  fillRejectionStack(report);
  return report;
}

function parseLine(line: string): Record<string, unknown> | null {
  if (line.trim() === '') return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    // A partial line from a crash mid-write holds nothing that can be trusted; skip it.
    return null;
  }
}

function addRecord(report: ProbeReport, record: Record<string, unknown>): void {
  switch (record.type) {
    case 'loaded':
      report.loaded = true;
      break;
    case 'event': {
      const event = toEvent(record);
      if (event?.kind === 'unhandledRejection') report.unhandledRejections.push(event);
      else if (event?.kind === 'uncaughtException') report.uncaughtExceptions.push(event);
      break;
    }
    case 'crash':
      report.crash = toEvent(record) ?? report.crash;
      break;
    case 'resources':
      // NOTE: Node children forked by the target inherit `--import` and the probe file, so with
      // several processes this is the sample of whichever process wrote last.
      report.resources = toResources(record) ?? report.resources;
      break;
  }
}

function toEvent(record: Record<string, unknown>): ProbeEvent | null {
  const { kind, origin, name, message, stack, atMs, pid } = record;
  if (!isEventKind(kind) || !isEventKind(origin)) return null;
  if (typeof name !== 'string' || typeof message !== 'string') return null;
  if (typeof atMs !== 'number' || typeof pid !== 'number') return null;
  return { kind, origin, name, message, stack: typeof stack === 'string' ? stack : null, atMs, pid };
}

function isEventKind(value: unknown): value is ProbeEvent['kind'] {
  return value === 'unhandledRejection' || value === 'uncaughtException';
}

function toResources(record: Record<string, unknown>): ProbeReport['resources'] {
  const { atMs, activeHandles, rssBytes, heapUsedBytes } = record;
  if (typeof atMs !== 'number' || typeof activeHandles !== 'number') return null;
  if (typeof rssBytes !== 'number' || typeof heapUsedBytes !== 'number') return null;
  return { atMs, activeHandles, rssBytes, heapUsedBytes };
}

/**
 * The probe leaves out the stack of a rejection that crashes the process, because reading it
 * early would change Node's crash output; the crash line carries it instead.
 */
function fillRejectionStack(report: ProbeReport): void {
  const { crash } = report;
  if (crash === null || crash.origin !== 'unhandledRejection' || crash.stack === null) return;
  const rejection = report.unhandledRejections.findLast(
    (event) => event.stack === null && event.pid === crash.pid && event.name === crash.name && event.message === crash.message,
  );
  if (rejection !== undefined) rejection.stack = crash.stack;
}
