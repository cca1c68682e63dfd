import type { ProxyControl, ProxyStats, ToxicSpec } from '../model/environment.ts';
import type { ToxiproxyControl } from './toxiproxy-control.ts';

export interface ProxyControlOptions {
  api: ToxiproxyControl;
  name: string;
  /** Address the target connects to, as seen from this host. */
  listenHost: string;
  listenPort: number;
  /** Whether the server has the built-in `/proxies/:name/stats` endpoint. */
  hasStats: boolean;
}

/** Builds the harness's handle on one proxy; every call goes through the Toxiproxy API. */
export function createProxyControl(options: ProxyControlOptions): ProxyControl {
  const { api, name } = options;
  return {
    name,
    listenHost: options.listenHost,
    listenPort: options.listenPort,
    addToxic: (toxic: ToxicSpec) => api.addToxic(name, toxic),
    removeToxic: (toxicName: string) => api.removeToxic(name, toxicName),
    setEnabled: (enabled: boolean) => api.updateProxy(name, { enabled }),
    reset: async () => {
      const proxy = await api.getProxy(name);
      for (const toxic of proxy.toxics) await api.removeToxic(name, toxic.name);
      if (!proxy.enabled) await api.updateProxy(name, { enabled: true });
    },
    // TODO: real Toxiproxy exposes byte counters only at /metrics, and only when started with
    // -proxy-metrics; reading them there would give stats for the url and docker backends.
    stats: async (): Promise<ProxyStats | null> => (options.hasStats ? api.proxyStats(name) : null),
  };
}
