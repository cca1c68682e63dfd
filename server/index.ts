export { authenticateUpgrade, DEFAULT_CHANNEL } from './authenticate-upgrade.ts';
export type { UpgradeDecision, UpgradeIdentity } from './authenticate-upgrade.ts';
export { loadConfig } from './config.ts';
export type { ServerConfig } from './config.ts';
export { applySchema, createPool, SCHEMA_PATH } from './database.ts';
export type { Queryable } from './database.ts';
export {
  ConfigError,
  DatabaseUnavailableError,
  SchemaError,
  SERVER_ERROR_CODES,
  ServerError,
  VerificationAbortedError,
} from './errors.ts';
export type { ServerErrorCode } from './errors.ts';
export { BEARER_SUBPROTOCOL, TOKEN_PARAMETER } from './extract-token.ts';
export type { TokenTransport } from './extract-token.ts';
export { createLogger, REDACT_PATHS } from './logger.ts';
export { CLOSE_POLICY, REJECTION_POLICY, SERVER_POLICY } from './policy.ts';
export type { CloseRule, RejectionClass, RejectionRule, ServerCloseClass } from './policy.ts';
export { ServerMetrics } from './server-metrics.ts';
export type { MetricsSnapshot } from './server-metrics.ts';
export { startServer } from './server.ts';
export type { RunningServer, StartServerOptions } from './server.ts';
export { WEBSOCKET_PATH } from './upgrade-gate.ts';
