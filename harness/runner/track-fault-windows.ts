import type { Finding } from '../checks/finding-codes.ts';
import { describeError } from '../environment/describe-error.ts';
import type { ProxyControl, ProxyStats } from '../model/environment.ts';

/**
 * One fault on the proxy and the byte counters around it. A toxic's window runs from just before
 * it is added until just before it is removed, or until the timeline ends. A disabled proxy
 * carries no bytes by design, so a toggle's window runs from the disable to the end of the
 * timeline: traffic after the re-enable shows that the target uses the link that was cut.
 */
interface FaultWindow {
  label: string;
  startedAtMs: number;
  endedAtMs: number | null;
  startBytes: number | null;
  endBytes: number | null;
}

/** Result of the windows: a finding per fault that saw no bytes, and notes on faults not checked. */
export interface FaultWindowResult {
  findings: Finding[];
  notes: string[];
}

export interface FaultWindowTracker {
  /** The proxy to give the scenario: every toxic and toggle through it opens or closes a window. */
  proxy: ProxyControl;
  /**
   * Closes the open windows and judges each one. A window still open when the target exited
   * (`targetExited`) is not judged when it saw no bytes: no traffic could follow the exit.
   */
  finish(targetExited: boolean): Promise<FaultWindowResult>;
}

/**
 * Wraps `proxy` so each fault records the proxy's byte counters at its start and end. A fault
 * whose window saw no bytes never touched traffic, so a pass would prove nothing about it.
 * Backends without counters (real Toxiproxy) get a note instead of a silent pass.
 */
export function trackFaultWindows(proxy: ProxyControl, labelSuffix = ''): FaultWindowTracker {
  const startedAt = performance.now();
  const windows: FaultWindow[] = [];
  const failures: string[] = [];
  let countersMissing = false;

  const readBytes = async (): Promise<number | null> => {
    let stats: ProxyStats | null;
    try {
      stats = await proxy.stats();
    } catch (error) {
      failures.push(describeError(error));
      return null;
    }
    if (stats === null) {
      countersMissing = true;
      return null;
    }
    return stats.bytesUpstream + stats.bytesDownstream;
  };
  const open = async (label: string) => {
    const startBytes = await readBytes();
    const startedAtMs = Math.round(performance.now() - startedAt);
    windows.push({ label, startedAtMs, endedAtMs: null, startBytes, endBytes: null });
  };
  const close = (window: FaultWindow, endBytes: number | null) => {
    window.endBytes = endBytes;
    window.endedAtMs = Math.round(performance.now() - startedAt);
  };
  const openWindow = (label: string) => windows.find((window) => window.label === label && window.endedAtMs === null);

  const tracked: ProxyControl = {
    name: proxy.name,
    listenHost: proxy.listenHost,
    listenPort: proxy.listenPort,
    addToxic: async (toxic) => {
      await open(`toxic ${toxic.name} (${toxic.type})${labelSuffix}`);
      await proxy.addToxic(toxic);
    },
    removeToxic: async (name) => {
      const window = windows.find(
        (candidate) => candidate.label.startsWith(`toxic ${name} (`) && candidate.label.endsWith(labelSuffix) && candidate.endedAtMs === null,
      );
      if (window !== undefined) close(window, await readBytes());
      await proxy.removeToxic(name);
    },
    setEnabled: async (enabled) => {
      const label = `proxy disabled${labelSuffix}`;
      if (!enabled && openWindow(label) === undefined) await open(label);
      await proxy.setEnabled(enabled);
    },
    reset: () => proxy.reset(),
    stats: () => proxy.stats(),
  };

  const finish = async (targetExited: boolean): Promise<FaultWindowResult> => {
    const pending = windows.filter((window) => window.endedAtMs === null);
    if (pending.length > 0) {
      const endBytes = await readBytes();
      for (const window of pending) close(window, endBytes);
    }
    return judgeWindows(windows, targetExited ? new Set(pending) : new Set(), countersMissing, failures);
  };
  return { proxy: tracked, finish };
}

function judgeWindows(
  windows: FaultWindow[],
  cutByExit: ReadonlySet<FaultWindow>,
  countersMissing: boolean,
  failures: string[],
): FaultWindowResult {
  const notes: string[] = [];
  if (windows.length === 0) return { findings: [], notes };
  if (countersMissing) {
    notes.push('The proxy backend has no byte counters, so whether each fault touched traffic was not checked.');
  }
  if (failures.length > 0) {
    notes.push(`Reading the proxy's byte counters failed, so some faults were not checked: ${failures[0]}.`);
  }
  const idle = windows.filter((window) => window.startBytes !== null && window.endBytes !== null && window.endBytes === window.startBytes);
  for (const window of idle.filter((candidate) => cutByExit.has(candidate))) {
    notes.push(`${window.label} saw no bytes, but the target exited while it was in effect, so it was not judged.`);
  }
  const findings = idle.filter((window) => !cutByExit.has(window)).map((window) => ({
    code: 'fault-not-exercised' as const,
    message: `${window.label} was in effect from ${window.startedAtMs} ms to ${window.endedAtMs ?? 0} ms and the proxy carried no bytes in that time`,
  }));
  return { findings, notes };
}
