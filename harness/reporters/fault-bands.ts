import type { ScenarioResult, TimelineEvent } from '../model/result.ts';

/** A fault that was active from `fromMs` to `toMs` (ms from the scenario start). */
export interface FaultBand {
  label: string;
  fromMs: number;
  toMs: number;
  /** False when the scenario ended before the fault was removed. */
  removed: boolean;
}

/** A moment worth a vertical line: a signal, the target's exit, or a probe event. */
export interface TimeMarker {
  atMs: number;
  kind: 'signal' | 'target-exit' | 'unhandled-rejection' | 'uncaught-exception' | 'crash';
  label: string;
}

/**
 * Pairs each add-toxic with the remove-toxic of the same name, and each proxy disable with the
 * next enable. A fault never undone lasts to `endMs`, the end of the scenario.
 */
export function computeFaultBands(events: readonly TimelineEvent[], endMs: number): FaultBand[] {
  const bands: FaultBand[] = [];
  const openToxics = new Map<string, { fromMs: number; label: string }>();
  let proxyDisabledAtMs: number | null = null;
  for (const event of events) {
    if (event.kind === 'add-toxic') {
      const name = toxicName(event.detail);
      close(name, event.atMs);
      openToxics.set(name, { fromMs: event.atMs, label: `toxic ${event.detail}` });
    } else if (event.kind === 'remove-toxic') {
      close(event.detail, event.atMs);
    } else if (event.kind === 'set-proxy-enabled') {
      if (event.detail === 'false' && proxyDisabledAtMs === null) proxyDisabledAtMs = event.atMs;
      if (event.detail === 'true' && proxyDisabledAtMs !== null) {
        bands.push({ label: 'proxy disabled', fromMs: proxyDisabledAtMs, toMs: event.atMs, removed: true });
        proxyDisabledAtMs = null;
      }
    }
  }
  for (const [, open] of openToxics) bands.push({ ...open, toMs: endMs, removed: false });
  if (proxyDisabledAtMs !== null) bands.push({ label: 'proxy disabled', fromMs: proxyDisabledAtMs, toMs: endMs, removed: false });
  return bands.sort((a, b) => a.fromMs - b.fromMs);

  function close(name: string, atMs: number) {
    const open = openToxics.get(name);
    if (open === undefined) return;
    bands.push({ ...open, toMs: atMs, removed: true });
    openToxics.delete(name);
  }
}

/**
 * Collects signals, target restarts and the target's exit, plus the probe's events when the
 * exit lets the target's wall clock be mapped onto the scenario's time axis.
 */
export function computeMarkers(scenario: ScenarioResult): TimeMarker[] {
  const markers: TimeMarker[] = [];
  for (const event of scenario.events) {
    if (event.kind === 'signal') markers.push({ atMs: event.atMs, kind: 'signal', label: event.detail });
    if (event.kind === 'target-exit') markers.push({ atMs: event.atMs, kind: 'target-exit', label: `exit ${event.detail}` });
    if (event.kind === 'restart-target') markers.push({ atMs: event.atMs, kind: 'signal', label: `restart: ${event.detail}` });
  }
  const startWallMs = findScenarioStartWallMs(scenario);
  const probe = scenario.probe;
  if (startWallMs !== null && probe !== null) {
    const place = (kind: TimeMarker['kind'], event: { atMs: number; name: string; message: string }) =>
      markers.push({ atMs: Math.round(event.atMs - startWallMs), kind, label: `${event.name}: ${event.message}` });
    for (const event of probe.unhandledRejections) place('unhandled-rejection', event);
    for (const event of probe.uncaughtExceptions) place('uncaught-exception', event);
    if (probe.crash !== null) place('crash', probe.crash);
  }
  return markers.sort((a, b) => a.atMs - b.atMs);
}

/** Computes the scenario start in wall-clock ms from the target-exit event and the exit's clock. */
function findScenarioStartWallMs(scenario: ScenarioResult): number | null {
  const exitEvent = scenario.events.find((event) => event.kind === 'target-exit');
  if (exitEvent === undefined || scenario.exit === null) return null;
  return scenario.exit.atMs - exitEvent.atMs;
}

/** Extracts the toxic name from the runner's `<name>: <type> <stream> <attributes>`. */
function toxicName(detail: string): string {
  const colon = detail.indexOf(':');
  return colon === -1 ? detail : detail.slice(0, colon);
}
