/**
 * Returns `url` with its password replaced by `***`, for messages and logs. A value that does not
 * parse as a URL is not shown at all, since it may hold a password in a shape this cannot find.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // A value that fails to parse is hidden, so the caller gets a placeholder instead.
    return '(a value that is not a URL)';
  }
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
