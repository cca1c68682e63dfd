import type { Logger } from 'pino';

import { ApiError } from './errors.ts';

/** An error as the API sends it: the HTTP status and Toxiproxy's `{error, status}` body. */
export interface ErrorResponse {
  status: number;
  body: { error: string; status: number };
}

/**
 * Maps any error to its API response. `ApiError`s keep their status; anything else is a 500
 * with the error's message and a warning in the log, as Toxiproxy's `apiError` does.
 */
export function toErrorResponse(error: unknown, logger: Logger): ErrorResponse {
  if (error instanceof ApiError) {
    return { status: error.status, body: { error: error.message, status: error.status } };
  }
  logger.warn({ err: error }, 'error did not include status code');
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { error: message, status: 500 } };
}
