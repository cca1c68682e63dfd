/**
 * Finds the first JSON value in a request body the way Go's `json.Decoder.Decode` does. Text
 * after that value is ignored, an empty body is `EOF` and a body cut short is `unexpected EOF`.
 * A syntax error names the character and the context in Go's words. Toxiproxy puts these texts
 * into its `bad request body: ...` errors, so they are part of the wire format.
 */

/** A syntax error with Go's `encoding/json` message. */
export class GoJsonSyntaxError extends Error {
  readonly code = 'WUC_ERR_PROXY_JSON_SYNTAX';

  constructor(message: string) {
    super(message);
    this.name = 'GoJsonSyntaxError';
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** Returns the text of the first JSON value in `text`; throws `GoJsonSyntaxError`. */
export function sliceFirstJsonValue(text: string): string {
  const start = skipWhitespace(text, 0);
  if (start >= text.length) throw new GoJsonSyntaxError('EOF');

  const end = scanValue(text, start);
  return text.slice(start, end);
}

function skipWhitespace(text: string, index: number): number {
  let position = index;
  while (position < text.length && WHITESPACE.has(text[position] as string)) position += 1;
  return position;
}

function charAt(text: string, index: number): string {
  if (index >= text.length) throw new GoJsonSyntaxError('unexpected EOF');
  return text[index] as string;
}

function invalid(char: string, context: string): GoJsonSyntaxError {
  return new GoJsonSyntaxError(`invalid character ${quoteChar(char)} ${context}`);
}

/** Quotes a character like Go's `quoteChar`: `'x'`, `'\n'`, `'\''`, `'"'`. */
function quoteChar(char: string): string {
  if (char === "'") return `'\\''`;
  if (char === '"') return `'"'`;
  const quoted = JSON.stringify(char);
  return `'${quoted.slice(1, -1)}'`;
}

function scanValue(text: string, index: number): number {
  const char = charAt(text, index);
  if (char === '{') return scanObject(text, index + 1);
  if (char === '[') return scanArray(text, index + 1);
  if (char === '"') return scanString(text, index + 1);
  if (char === '-' || (char >= '0' && char <= '9')) return scanNumber(text, index);
  if (char === 't') return scanLiteral(text, index, 'true');
  if (char === 'f') return scanLiteral(text, index, 'false');
  if (char === 'n') return scanLiteral(text, index, 'null');
  throw invalid(char, 'looking for beginning of value');
}

function scanObject(text: string, index: number): number {
  let position = skipWhitespace(text, index);
  if (charAt(text, position) === '}') return position + 1;

  for (;;) {
    const keyStart = charAt(text, position);
    if (keyStart !== '"') throw invalid(keyStart, 'looking for beginning of object key string');
    position = skipWhitespace(text, scanString(text, position + 1));

    const colon = charAt(text, position);
    if (colon !== ':') throw invalid(colon, 'after object key');
    position = skipWhitespace(text, position + 1);
    position = skipWhitespace(text, scanValue(text, position));

    const next = charAt(text, position);
    if (next === '}') return position + 1;
    if (next !== ',') throw invalid(next, 'after object key:value pair');
    position = skipWhitespace(text, position + 1);
  }
}

function scanArray(text: string, index: number): number {
  let position = skipWhitespace(text, index);
  if (charAt(text, position) === ']') return position + 1;

  for (;;) {
    position = skipWhitespace(text, scanValue(text, position));
    const next = charAt(text, position);
    if (next === ']') return position + 1;
    if (next !== ',') throw invalid(next, 'after array element');
    position = skipWhitespace(text, position + 1);
  }
}

function scanString(text: string, index: number): number {
  let position = index;
  for (;;) {
    const char = charAt(text, position);
    if (char === '"') return position + 1;
    if (char < ' ') throw invalid(char, 'in string literal');
    if (char === '\\') {
      position = scanEscape(text, position + 1);
      continue;
    }
    position += 1;
  }
}

function scanEscape(text: string, index: number): number {
  const char = charAt(text, index);
  if ('"\\/bfnrt'.includes(char)) return index + 1;
  if (char !== 'u') throw invalid(char, 'in string escape code');

  for (let offset = 1; offset <= 4; offset += 1) {
    const hex = charAt(text, index + offset);
    if (!/[0-9a-fA-F]/.test(hex)) throw invalid(hex, 'in \\u hexadecimal character escape');
  }
  return index + 5;
}

function scanLiteral(text: string, index: number, literal: string): number {
  for (let offset = 1; offset < literal.length; offset += 1) {
    const char = charAt(text, index + offset);
    const expected = literal[offset] as string;
    if (char !== expected) {
      throw invalid(char, `in literal ${literal} (expecting ${quoteChar(expected)})`);
    }
  }
  return index + literal.length;
}

function scanNumber(text: string, index: number): number {
  let position = index;
  if (text[position] === '-') {
    position += 1;
    const first = charAt(text, position);
    if (!isDigit(first)) throw invalid(first, 'in numeric literal');
  }

  position = text[position] === '0' ? position + 1 : scanDigits(text, position);
  if (text[position] === '.') {
    const first = charAt(text, position + 1);
    if (!isDigit(first)) throw invalid(first, 'after decimal point in numeric literal');
    position = scanDigits(text, position + 1);
  }

  if (text[position] === 'e' || text[position] === 'E') {
    position += 1;
    if (text[position] === '+' || text[position] === '-') position += 1;
    const first = charAt(text, position);
    if (!isDigit(first)) throw invalid(first, 'in exponent of numeric literal');
    position = scanDigits(text, position);
  }
  return position;
}

function scanDigits(text: string, index: number): number {
  let position = index;
  while (position < text.length && isDigit(text[position] as string)) position += 1;
  return position;
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}
