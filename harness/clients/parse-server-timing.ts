/**
 * Parses a `Server-Timing` header (W3C Server Timing) into metric name and duration in ms,
 * for example `token;dur=0.4, lookup;dur=402;desc="permission query"` into
 * `{ token: 0.4, lookup: 402 }`. Metrics without a valid `dur` are skipped, and of two metrics
 * with one name the first counts. Returns null when no metric has a duration. Never throws,
 * because the header comes from the target under test.
 */
export function parseServerTiming(header: string | string[] | undefined): Record<string, number> | null {
  if (header === undefined) return null;
  const text = Array.isArray(header) ? header.join(',') : header;
  const phases: Record<string, number> = {};

  for (const entry of splitOutsideQuotes(text, ',')) {
    const [name = '', ...params] = splitOutsideQuotes(entry, ';').map((part) => part.trim());
    if (!METRIC_NAME.test(name) || Object.hasOwn(phases, name)) continue;
    const durationMs = readDuration(params);
    if (durationMs !== null) phases[name] = durationMs;
  }
  return Object.keys(phases).length === 0 ? null : phases;
}

/** An HTTP token (RFC 9110 section 5.6.2), which is what a metric name must be. */
const METRIC_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function readDuration(params: string[]): number | null {
  for (const param of params) {
    const equals = param.indexOf('=');
    if (equals === -1 || param.slice(0, equals).trim().toLowerCase() !== 'dur') continue;
    const raw = param.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1');
    const value = Number(raw);
    // The first `dur` decides, as the specification reads only the first of a repeated param.
    return raw !== '' && Number.isFinite(value) && value >= 0 ? value : null;
  }
  return null;
}

/** Splits on `separator` except inside double-quoted strings (backslash escapes honoured). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted && char === '\\') {
      current += char + (text[i + 1] ?? '');
      i += 1;
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === separator && !quoted) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}
