/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Serialises `value` for a `<script type="application/json">` block. Escaping every `<` keeps a
 * `</script>` or `<!--` inside the data from ending or changing the block; U+2028 and U+2029
 * are escaped as well so the text is also a valid JavaScript literal.
 */
export function serializeJsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Formats a duration: `85.2 ms` below 1 s, `2.01 s` below 10 s, `12.4 s` above; null is `–`. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  if (Math.abs(ms) < 1000) return `${Math.round(ms * 10) / 10} ms`;
  if (Math.abs(ms) < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Makes a scenario name safe for an id attribute and a URL fragment. */
export function toAnchor(name: string, index: number): string {
  return `scenario-${index}-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}
