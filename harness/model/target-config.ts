import type { TargetPolicy } from './policy.ts';

/** Algorithm the harness signs valid tokens with. RS256 needs the key pair in `jwt`. */
export type JwtAlgorithm = 'HS256' | 'RS256';

/** How the client sends the token during the upgrade. */
export type TokenTransport = 'authorization-header' | 'subprotocol' | 'cookie' | 'query';

/**
 * Rows the target's schema must contain so each token class maps to a real database state.
 * User ids of valid users are `validUserPrefix` + a zero-padded number from 1 to `validUserCount`.
 */
export interface TargetFixtures {
  /** @default 'user-' */
  validUserPrefix: string;
  /** @default 4 */
  validUserDigits: number;
  /** @default 1000 */
  validUserCount: number;
  /** @default 'user-disabled' */
  disabledUserId: string;
  /** @default 'user-no-permission' */
  noPermissionUserId: string;
  /** A user id that is not in the database. @default 'user-unknown' */
  unknownUserId: string;
  /** @default 'revoked-token-id' */
  revokedTokenId: string;
  /** The channel valid users may join. @default 'lobby' */
  channel: string;
}

/** A target config as a user writes it: everything but `command` has a default. */
export interface TargetConfigInput {
  /** Shown in reports. @default the config file's base name */
  name?: string;
  /** Argv that starts the target. A first element `node` (or `process.execPath`) gets the probe. */
  command: string[];
  /** Working directory, relative to the config file. @default the config file's folder */
  cwd?: string;
  /** Extra environment for the target. */
  env?: Record<string, string>;
  /** `node` targets get the probe preloaded. @default detected from `command[0]` */
  runtime?: 'node' | 'other';
  /** WebSocket path plus query, without the token. @default '/ws?channel=lobby' */
  path?: string;
  /** @default 'authorization-header' */
  tokenTransport?: TokenTransport;
  /** Cookie or query parameter name for the `cookie` and `query` transports. @default 'access_token' */
  tokenParameter?: string;
  /** HTTP path that answers 200 once upgrades are accepted. @default '/readyz' */
  readyPath?: string;
  /** Time allowed from spawn until the ready path answers 200, in ms. @default 30000 */
  readyTimeoutMs?: number;
  /**
   * Maximum wait after a scenario for the target's Postgres sessions and handles to return to
   * their baseline, in ms. Set it above the target's pool idle timeout. 0 skips the leak check.
   * @default 12000
   */
  leakSettleMs?: number;
  /** SQL applied before the target starts: a file path relative to the config file. */
  schemaFile?: string;
  /** JWT settings the harness signs tokens with and passes to the target. */
  jwt?: {
    /** @default 'ws-upgrade-chaos' */
    issuer?: string;
    /** @default 'ws-upgrade-chaos-clients' */
    audience?: string;
    /** HS256 key of at least 32 bytes. @default a random secret for each loaded config */
    secret?: string;
    /** Algorithm valid tokens are signed with; a scenario's `setup.jwtAlgorithm` overrides it. @default 'HS256' */
    algorithm?: JwtAlgorithm;
    /**
     * RSA public key as PEM (SPKI), passed to the target as `JWT_PUBLIC_KEY` when tokens are
     * RS256. Give it together with `privateKey`; both are needed for RS256 and `alg-confusion`.
     */
    publicKey?: string;
    /** RSA private key as PEM (PKCS#8) that signs RS256 tokens; never passed to the target. */
    privateKey?: string;
  };
  /** Statuses and close codes; missing entries come from the reference policy. */
  policy?: { statuses?: Partial<TargetPolicy['statuses']>; closeCodes?: Partial<TargetPolicy['closeCodes']> };
  /** The first message after open and its field that names the user. Omit when the target sends none. @default null */
  identity?: { messageType: string; userIdField: string } | null;
  fixtures?: Partial<TargetFixtures>;
  /** Signal that asks the target to shut down, and the time it has to exit. */
  shutdown?: {
    /** @default 'SIGTERM' */
    signal?: 'SIGTERM' | 'SIGINT';
    /** Time from the signal until the harness kills the process group, in ms. @default 10000 */
    graceMs?: number;
  };
  /**
   * Environment variable names the target reads its verification deadline and grace period from.
   * Without a name, scenarios cannot change that setting.
   */
  settingsEnv?: {
    verifyTimeoutMs?: string;
    shutdownGraceMs?: string;
    /** Variable that takes the accepted JWT algorithm (for example `JWT_ALGORITHMS`). */
    jwtAlgorithms?: string;
  };
}

/** A validated target config with every default filled in and paths made absolute. */
export interface TargetConfig {
  name: string;
  configPath: string | null;
  command: string[];
  cwd: string;
  env: Record<string, string>;
  runtime: 'node' | 'other';
  path: string;
  tokenTransport: TokenTransport;
  tokenParameter: string;
  readyPath: string;
  readyTimeoutMs: number;
  leakSettleMs: number;
  schemaFile: string | null;
  jwt: {
    issuer: string;
    audience: string;
    secret: string;
    algorithm: JwtAlgorithm;
    /** RSA key pair as PEM; null when the config gives none. */
    publicKey: string | null;
    privateKey: string | null;
  };
  policy: TargetPolicy;
  identity: { messageType: string; userIdField: string } | null;
  fixtures: TargetFixtures;
  shutdown: { signal: 'SIGTERM' | 'SIGINT'; graceMs: number };
  settingsEnv: { verifyTimeoutMs: string | null; shutdownGraceMs: string | null; jwtAlgorithms: string | null };
}
