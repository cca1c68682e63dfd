import type { Logger } from 'pino';

export type PostgresBackendKind = 'url' | 'docker' | 'embedded';
export type ToxiproxyBackendKind = 'url' | 'docker' | 'builtin';

/** A running Postgres the harness may create databases and apply schemas in. */
export interface StartedPostgres {
  kind: PostgresBackendKind;
  /** Connection URL of a superuser (or owner) role on the harness's database, reachable from this host. */
  adminUrl: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** `SHOW server_version`. */
  version: string;
  /** Stops what the harness started; a URL backend is left running. Idempotent. */
  stop(): Promise<void>;
}

/** A toxic as the Toxiproxy API takes it. Attributes keep Toxiproxy's names and units. */
export interface ToxicSpec {
  name: string;
  type: 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';
  stream?: 'upstream' | 'downstream';
  toxicity?: number;
  attributes: Record<string, number>;
}

/** Byte counters of one proxy, when the backend exposes them. */
export interface ProxyStats {
  bytesUpstream: number;
  bytesDownstream: number;
  connections: number;
}

/** Harness-side control of one Toxiproxy proxy; every failure is a `ToxiproxyApiError`. */
export interface ProxyControl {
  readonly name: string;
  /** Host and port the target connects to (the proxy's listen address as seen from the target). */
  readonly listenHost: string;
  readonly listenPort: number;
  addToxic(toxic: ToxicSpec): Promise<void>;
  removeToxic(name: string): Promise<void>;
  setEnabled(enabled: boolean): Promise<void>;
  /** Removes every toxic and enables the proxy. */
  reset(): Promise<void>;
  /** `null` when the backend has no byte counters. */
  stats(): Promise<ProxyStats | null>;
}

/** A running Toxiproxy API (real or built-in). */
export interface StartedToxiproxy {
  kind: ToxiproxyBackendKind;
  apiUrl: string;
  /** Version string the API reports. */
  version: string;
  /**
   * Creates a proxy in front of `upstream` (`host:port`), replacing one of the same name. The
   * Docker backend forwards a loopback upstream into its container; the others pass it on as is.
   * On a Toxiproxy at TOXIPROXY_URL an existing proxy of that name is kept unchanged, because
   * that server's network decides which listen address and upstream work.
   */
  createProxy(name: string, upstream: string): Promise<ProxyControl>;
  stop(): Promise<void>;
}

/** Postgres and Toxiproxy started together, with the database link going through the proxy. */
export interface StartedEnvironment {
  postgres: StartedPostgres;
  toxiproxy: StartedToxiproxy;
  /** The proxy in front of Postgres; the target's DATABASE_URL points through it. */
  databaseProxy: ProxyControl;
  /** DATABASE_URL for the target: same credentials and database as `postgres`, through the proxy. */
  targetDatabaseUrl: string;
  /** Stops the proxy, then Postgres. Idempotent. */
  stop(): Promise<void>;
}

export interface EnvironmentOptions {
  logger: Logger;
  /** Defaults to `process.env`; reads DATABASE_URL, TOXIPROXY_URL, WUC_POSTGRES, WUC_TOXIPROXY. */
  env?: NodeJS.ProcessEnv;
  /** Folder for embedded Postgres data; removed on stop. */
  workDir: string;
  /** Seeded generator for the built-in proxy's jitter and toxicity. */
  random: () => number;
}
