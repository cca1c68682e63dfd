export { ApiError, ProxyListenError } from './errors.ts';
export type { ProxyCounters } from './proxy.ts';
export { createSeededRandom } from './seeded-random.ts';
export { TOXIC_REGISTRY } from './toxics/registry.ts';
export { TOXIC_TYPES, type ToxicType } from './toxics/toxic.ts';
export {
  type StartedToxiproxyServer,
  startToxiproxyServer,
  type ToxiproxyServerOptions,
} from './toxiproxy-server.ts';
export { TOXIPROXY_VERSION } from './api-handlers.ts';
