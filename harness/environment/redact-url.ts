/** Maximum length of a shown value that does not parse as a URL, in characters. */
const MAX_UNPARSED_CHARS = 80;

/**
 * Returns `url` with its password replaced by `***`, for messages and logs. In a value that does
 * not parse as a URL, everything between the scheme and the last `@` is replaced by `***`,
 * because that is where a user and password would sit.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL class finds no password in a value it cannot parse, so the text is masked by hand.
    return `'${redactUnparsed(url)}'`;
  }
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

/** Returns a base URL for messages: password masked and no trailing slash, so paths append cleanly. */
export function redactBaseUrl(url: string): string {
  return redactUrl(url).replace(/\/+$/, '');
}

/** Masks the password of `url` where `text`, such as an error message, repeats the URL. */
export function maskUrlPassword(text: string, url: string): string {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    return text;
  }
  return password === '' ? text : text.replaceAll(`:${password}@`, ':***@');
}

function redactUnparsed(value: string): string {
  const at = value.lastIndexOf('@');
  let masked = value;
  if (at !== -1) {
    const schemeEnd = value.indexOf('://');
    const start = schemeEnd === -1 || schemeEnd > at ? 0 : schemeEnd + 3;
    masked = `${value.slice(0, start)}***${value.slice(at)}`;
  }
  return masked.length > MAX_UNPARSED_CHARS ? `${masked.slice(0, MAX_UNPARSED_CHARS)}...` : masked;
}
