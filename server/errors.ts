/** Every error code the reference server throws, with its meaning. */
export const SERVER_ERROR_CODES = Object.freeze({
  WUC_ERR_SERVER_CONFIG_INVALID: 'An environment variable is missing or has an invalid value.',
  WUC_ERR_SERVER_LISTEN_FAILED: 'The HTTP server could not listen on HOST and PORT.',
  WUC_ERR_SERVER_DB_UNAVAILABLE: 'A database query failed or no pool client could be had in time.',
  WUC_ERR_SERVER_KEYS_UNAVAILABLE: 'The JSON Web Key Set at JWKS_URL could not be fetched in time.',
  WUC_ERR_SERVER_SCHEMA_FAILED: 'schema.sql could not be applied.',
  WUC_ERR_SERVER_VERIFY_TIMEOUT: 'Upgrade verification passed its deadline.',
  WUC_ERR_SERVER_SHUTTING_DOWN: 'Upgrade verification was abandoned because the server is shutting down.',
  WUC_ERR_SERVER_CLIENT_GONE: 'Upgrade verification was abandoned because the client closed its socket.',
  WUC_ERR_SERVER_EARLY_DATA: 'The client sent more data than allowed before the upgrade was answered.',
});

export type ServerErrorCode = keyof typeof SERVER_ERROR_CODES;

/** Base class of every error the reference server throws on purpose. */
export class ServerError extends Error {
  readonly code: ServerErrorCode;

  constructor(code: ServerErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ServerError';
    this.code = code;
  }
}

/** An environment variable is missing or invalid; `variable` names it. */
export class ConfigError extends ServerError {
  readonly variable: string;

  constructor(variable: string, message: string) {
    super('WUC_ERR_SERVER_CONFIG_INVALID', message);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** A pg error or pool timeout during verification, wrapped so the policy maps it to 503. */
export class DatabaseUnavailableError extends ServerError {
  constructor(message: string, options?: ErrorOptions) {
    super('WUC_ERR_SERVER_DB_UNAVAILABLE', message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** The key set at JWKS_URL failed to load (network error, timeout, status, JSON); maps to 503. */
export class KeySetUnavailableError extends ServerError {
  constructor(message: string, options?: ErrorOptions) {
    super('WUC_ERR_SERVER_KEYS_UNAVAILABLE', message, options);
    this.name = 'KeySetUnavailableError';
  }
}

/** Reason a pending verification was aborted; stored as the `AbortSignal` reason. */
export class VerificationAbortedError extends ServerError {
  override readonly code:
    | 'WUC_ERR_SERVER_VERIFY_TIMEOUT'
    | 'WUC_ERR_SERVER_SHUTTING_DOWN'
    | 'WUC_ERR_SERVER_CLIENT_GONE'
    | 'WUC_ERR_SERVER_EARLY_DATA';

  constructor(code: VerificationAbortedError['code'], message: string) {
    super(code, message);
    this.name = 'VerificationAbortedError';
    this.code = code;
  }
}

/** schema.sql could not be read or applied. */
export class SchemaError extends ServerError {
  constructor(message: string, options?: ErrorOptions) {
    super('WUC_ERR_SERVER_SCHEMA_FAILED', message, options);
    this.name = 'SchemaError';
  }
}
