import { HarnessError } from '../errors.ts';

/**
 * Resolves as `promise` does, or rejects with `WUC_ERR_ENV_TIMEOUT` naming `what` once
 * `timeoutMs` has passed. The work itself is not cancelled; the caller cleans up after a timeout.
 */
export async function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new HarnessError('WUC_ERR_ENV_TIMEOUT', `${what} did not finish within ${timeoutMs} ms.`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
