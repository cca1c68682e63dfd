/** Process events that exit hooks in dependencies listen to (`async-exit-hook`, `signal-exit`). */
const HOOKED_EVENTS = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'exit',
  'beforeExit',
  'uncaughtException',
  'unhandledRejection',
  'message',
] as const;

type HookedEvent = (typeof HOOKED_EVENTS)[number];
type Listener = (...args: unknown[]) => void;

/**
 * Runs `load` (a dynamic import) and removes every process listener added while it ran, so a
 * dependency's exit hook cannot stop the process, change its exit code or reorder its cleanup.
 * Returns the loaded module. A module that was already loaded adds nothing, so nothing is removed.
 */
export async function importWithoutProcessListeners<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
  try {
    return await load();
  } finally {
    for (const event of HOOKED_EVENTS) {
      const known = before.get(event) ?? new Set();
      for (const listener of listenersOf(event)) {
        if (!known.has(listener)) process.removeListener(event, listener);
      }
    }
  }
}

function listenersOf(event: HookedEvent): Listener[] {
  return process.listeners(event as NodeJS.Signals) as Listener[];
}
