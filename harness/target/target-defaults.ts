import type { TargetConfig } from '../model/target-config.ts';

/** Fields whose default depends on the config file, the command or a fresh random secret. */
type DerivedField = 'name' | 'configPath' | 'command' | 'cwd' | 'runtime' | 'schemaFile' | 'policy' | 'jwt';

export type TargetDefaults = Omit<TargetConfig, DerivedField> & {
  jwt: Omit<TargetConfig['jwt'], 'secret' | 'publicKey' | 'privateKey'>;
};

/**
 * Defaults of every target config field that has a fixed default. They match the `@default`
 * tags in TargetConfigInput (a test compares them). The JWT issuer and audience are the ones the
 * reference server uses when JWT_ISSUER and JWT_AUDIENCE are unset; the policy default is
 * REFERENCE_POLICY.
 */
export const TARGET_DEFAULTS: Readonly<TargetDefaults> = deepFreeze({
  env: {},
  path: '/ws?channel=lobby',
  tokenTransport: 'authorization-header',
  tokenParameter: 'access_token',
  readyPath: '/readyz',
  readyTimeoutMs: 30_000,
  leakSettleMs: 12_000,
  jwt: { issuer: 'ws-upgrade-chaos', audience: 'ws-upgrade-chaos-clients', algorithm: 'HS256' },
  identity: null,
  fixtures: {
    validUserPrefix: 'user-',
    validUserDigits: 4,
    validUserCount: 1000,
    disabledUserId: 'user-disabled',
    noPermissionUserId: 'user-no-permission',
    unknownUserId: 'user-unknown',
    revokedTokenId: 'revoked-token-id',
    channel: 'lobby',
  },
  shutdown: { signal: 'SIGTERM', graceMs: 10_000 },
  settingsEnv: { verifyTimeoutMs: null, shutdownGraceMs: null, jwtAlgorithms: null },
});

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}
