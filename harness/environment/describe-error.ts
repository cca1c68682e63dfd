/**
 * Returns a one-line description of a thrown value. Node's connect errors can be an
 * `AggregateError` with an empty message (one error per address tried), so those list their parts.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    return error.errors.map(describeError).join('; ');
  }
  if (error instanceof Error) {
    if (error.message !== '') return error.message;
    const code = (error as NodeJS.ErrnoException).code;
    return code ?? error.name;
  }
  return String(error);
}
