// @ts-check
// Preloaded into a Node target with `node --import <this file>`. It records unhandled
// rejections, uncaught exceptions and resource samples as JSON lines in the file named by
// WUC_PROBE_FILE, and must leave the target's behaviour unchanged:
// - It adds no `unhandledRejection` or `uncaughtException` listener, because either one switches
//   off Node's default crash. It wraps `process.emit` and watches `uncaughtExceptionMonitor`.
// - It writes nothing to stdout or stderr.
// - Its timer is unref'd, so it never keeps the process alive.
// Record types: `loaded`, `event` (one ProbeEvent), `crash` (the event that ends the process)
// and `resources`. Each line is written with appendFileSync, so it is on disk before a crash
// that follows.
// This file is plain JavaScript with Node built-ins only: a target has no TypeScript loader.
import { appendFileSync } from 'node:fs';

/**
 * @typedef {'unhandledRejection' | 'uncaughtException'} ProbeEventKind
 * @typedef {{ name: string; message: string; stack: string | null }} ErrorFields
 */

/** Interval between resource samples, in ms. */
const SAMPLE_INTERVAL_MS = 200;

/** Maximum length of a stack or message per event, in characters, so one line stays small. */
const MAX_TEXT_CHARS = 16_000;

const probeFile = process.env.WUC_PROBE_FILE;

if (probeFile !== undefined && probeFile !== '') {
  installProbe(probeFile);
}

/** @param {string} file */
function installProbe(file) {
  /** @param {Record<string, unknown>} record */
  const write = (record) => writeLine(file, record);

  write({ type: 'loaded', pid: process.pid, atMs: Date.now() });
  wrapEmit(write);
  process.on('uncaughtExceptionMonitor', (error, origin) => recordUncaught(write, error, origin));

  setInterval(() => write(sampleResources()), SAMPLE_INTERVAL_MS).unref();
  process.on('exit', () => write(sampleResources()));
}

/**
 * Node's promise-rejection tracking calls `process.emit('unhandledRejection', reason, promise)`
 * and, in the default `throw` mode, crashes the process when that call returns false (no
 * listener). Passing the original return value through keeps that decision unchanged.
 * @param {(record: Record<string, unknown>) => void} write
 */
function wrapEmit(write) {
  const originalEmit = process.emit;
  /** @type {(this: NodeJS.Process, event: string | symbol, ...args: unknown[]) => boolean} */
  function probeEmit(event, ...args) {
    if (event !== 'unhandledRejection') return Reflect.apply(originalEmit, this, [event, ...args]);
    /** @type {boolean | undefined} */
    let handled;
    try {
      /** @type {boolean} */
      const result = Reflect.apply(originalEmit, this, [event, ...args]);
      handled = result;
      return result;
    } finally {
      // Reading `stack` formats it, and V8 then loses the source position that Node prints
      // above a crash. When no listener handled the rejection, Node's default mode crashes
      // next, so the stack is left to the crash line that the monitor writes.
      // NOTE: under --unhandled-rejections=warn or none such a rejection has no stack, and
      // under strict a rejection that crashes is recorded only as the crash cause.
      const rejection = describeEvent('unhandledRejection', 'unhandledRejection', args[0], handled !== false);
      write({ type: 'event', ...rejection });
    }
  }
  process.emit = /** @type {typeof process.emit} */ (/** @type {unknown} */ (probeEmit));
}

/**
 * Records an uncaught exception, counting it only when it started as one. When Node turns an
 * unhandled rejection into an uncaught exception (origin `unhandledRejection`), the rejection is
 * already counted, so that event is recorded only as the crash cause. Node creates the crash
 * message before it emits the monitor event, so reading the stack here changes nothing it prints.
 * @param {(record: Record<string, unknown>) => void} write
 * @param {unknown} error
 * @param {string} origin
 */
function recordUncaught(write, error, origin) {
  const fromRejection = origin === 'unhandledRejection';
  const event = describeEvent('uncaughtException', fromRejection ? 'unhandledRejection' : 'uncaughtException', error, true);
  if (!fromRejection) write({ type: 'event', ...event });
  if (willCrash()) write({ type: 'crash', ...event });
}

/**
 * Node ends the process after the monitor event unless an `uncaughtException` listener or a
 * capture callback (`process.setUncaughtExceptionCaptureCallback`) takes the error.
 */
function willCrash() {
  return process.listenerCount('uncaughtException') === 0 && !process.hasUncaughtExceptionCaptureCallback();
}

/**
 * @param {ProbeEventKind} kind
 * @param {ProbeEventKind} origin
 * @param {unknown} reason
 * @param {boolean} withStack
 */
function describeEvent(kind, origin, reason, withStack) {
  return { kind, origin, ...describeReason(reason, withStack), atMs: Date.now(), pid: process.pid };
}

/**
 * Reads name, message and stack without trusting the reason: it may be any value, and a getter
 * on it may throw.
 * @param {unknown} reason
 * @param {boolean} withStack
 * @returns {ErrorFields}
 */
function describeReason(reason, withStack) {
  try {
    if (isErrorLike(reason)) {
      return {
        name: clip(String(reason.name)),
        message: clip(String(reason.message)),
        stack: withStack && typeof reason.stack === 'string' ? clip(reason.stack) : null,
      };
    }
    return { name: typeof reason, message: clip(describeValue(reason)), stack: null };
  } catch {
    // A getter or toString on the reason threw. The event still counts, without its text.
    return { name: 'unknown', message: '(the reason could not be read)', stack: null };
  }
}

/**
 * Same test as Node's own `isErrorLike`, so errors from another realm count as errors.
 * @param {unknown} value
 * @returns {value is Error}
 */
function isErrorLike(value) {
  return value instanceof Error || (typeof value === 'object' && value !== null && Object.hasOwn(value, 'stack'));
}

/** @param {unknown} value */
function describeValue(value) {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? Object.prototype.toString.call(value);
  } catch {
    // Circular or otherwise unserialisable, so the type tag is all the probe can report.
    return Object.prototype.toString.call(value);
  }
}

/** @param {string} text */
function clip(text) {
  return text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS)}...` : text;
}

function sampleResources() {
  const memory = process.memoryUsage();
  const resources = process.getActiveResourcesInfo();
  return {
    type: 'resources',
    pid: process.pid,
    atMs: Date.now(),
    activeHandles: resources.length,
    handlesByType: countByType(resources),
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
  };
}

/**
 * Counts active resources per type name, for example `{ TCPSocketWrap: 3, Timeout: 2 }`.
 * @param {string[]} resources
 */
function countByType(resources) {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const type of resources) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/**
 * @param {string} file
 * @param {Record<string, unknown>} record
 */
function writeLine(file, record) {
  try {
    appendFileSync(file, `${JSON.stringify(record)}\n`);
  } catch {
    // The probe must never throw into the target or print to its streams. A failed write (file
    // removed, disk full) loses one record, which shows in the report as a missing count or
    // sample, never as a change in how the target runs.
  }
}
