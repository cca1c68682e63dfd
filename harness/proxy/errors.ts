/**
 * Errors of the built-in Toxiproxy-compatible server. `ApiError` carries the status and message
 * that real Toxiproxy 2.x responds with. Every other error reaching the HTTP layer is unmapped
 * and becomes a 500, as in Toxiproxy's `apiError`.
 */

/** An error the Toxiproxy API reports with its own status and `{error, status}` body. */
export class ApiError extends Error {
  readonly code = 'WUC_ERR_PROXY_API_REJECTED';
  readonly status: number;

  constructor(message: string, status: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** Toxiproxy's fixed API errors; the messages are part of its wire format and kept verbatim. */
export const apiErrors = {
  badRequestBody: (detail: string) => new ApiError(`bad request body: ${detail}`, 400),
  missingField: (field: string) => new ApiError(`missing required field: ${field}`, 400),
  proxyNotFound: () => new ApiError('proxy not found', 404),
  proxyAlreadyExists: () => new ApiError('proxy already exists', 409),
  invalidStream: () =>
    new ApiError('stream was invalid, can be either upstream or downstream', 400),
  invalidToxicType: () => new ApiError('invalid toxic type', 400),
  toxicAlreadyExists: () => new ApiError('toxic already exists', 409),
  toxicNotFound: () => new ApiError('toxic not found', 404),
} as const;

/**
 * A proxy could not listen on its address. The message follows Go's `net.Listen` wording
 * (`listen tcp 127.0.0.1:80: bind: permission denied`) because real Toxiproxy returns that text
 * in its 500 body.
 */
export class ProxyListenError extends Error {
  readonly code = 'WUC_ERR_PROXY_LISTEN_FAILED';
  readonly address: string;

  constructor(message: string, address: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProxyListenError';
    this.address = address;
  }
}

/** A proxy was started while it was already listening; `/reset` ignores this one. */
export class ProxyAlreadyStartedError extends Error {
  readonly code = 'WUC_ERR_PROXY_ALREADY_STARTED';

  constructor(name: string) {
    super(`Proxy already started: ${name}`);
    this.name = 'ProxyAlreadyStartedError';
  }
}
