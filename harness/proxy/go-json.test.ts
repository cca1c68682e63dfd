import { describe, expect, it } from 'vitest';

import { ApiError } from './errors.ts';
import {
  GoStructReader,
  GoUnmarshalTypeError,
  lookupField,
  marshalGoJson,
  parseRequestJson,
  toGoFloat32,
} from './go-json.ts';
import { sliceFirstJsonValue } from './go-json-scanner.ts';

describe('sliceFirstJsonValue', () => {
  it.each([
    ['', 'EOF'],
    ['   ', 'EOF'],
    ['{', 'unexpected EOF'],
    ['{"a":1,', 'unexpected EOF'],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['{1}', "invalid character '1' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b"}', `invalid character '"' after object key:value pair`],
    ['[1 2]', "invalid character '2' after array element"],
    ['tru', 'unexpected EOF'],
    ['trux', "invalid character 'x' in literal true (expecting 'e')"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
    ['"\\q"', "invalid character 'q' in string escape code"],
    ['1.x', "invalid character 'x' after decimal point in numeric literal"],
    ['1ex', "invalid character 'x' in exponent of numeric literal"],
    ['-x', "invalid character 'x' in numeric literal"],
    ["'a'", "invalid character '\\'' looking for beginning of value"],
  ])('rejects %j with Go message', (text, message) => {
    expect(() => sliceFirstJsonValue(text)).toThrow(message);
  });

  it('ignores text after the first value', () => {
    expect(sliceFirstJsonValue(' {"a":[1,2.5e3,"x"]} trailing')).toBe('{"a":[1,2.5e3,"x"]}');
  });
});

describe('parseRequestJson', () => {
  it('wraps syntax errors as bad request body', () => {
    let caught: unknown;
    try {
      parseRequestJson('{');
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).status).toBe(400);
    expect((caught as ApiError).message).toBe('bad request body: unexpected EOF');
  });
});

describe('GoStructReader', () => {
  it('matches field names case-insensitively, last wins', () => {
    expect(lookupField({ Name: 'a', NAME: 'b' }, 'name')).toBe('b');
  });

  it('names struct and field path in type errors', () => {
    const reader = new GoStructReader({ latency: 'slow' }, 'LatencyToxic', 'attributes');

    expect(() => reader.integer('latency', 'int64')).toThrow(GoUnmarshalTypeError);
    const field = 'LatencyToxic.attributes.latency';
    expect(() => reader.integer('latency', 'int64')).toThrow(
      `json: cannot unmarshal string into Go struct field ${field} of type int64`,
    );
  });

  it('rejects fractions for integer fields', () => {
    const reader = new GoStructReader({ bytes: 1.5 }, 'LimitDataToxic');

    expect(() => reader.integer('bytes', 'int64')).toThrow('cannot unmarshal number 1.5 into');
  });

  it('treats null as absent', () => {
    const reader = new GoStructReader({ name: null }, 'Proxy');

    expect(reader.string('name')).toBeUndefined();
  });
});

describe('marshalGoJson', () => {
  it('escapes HTML characters like Go', () => {
    expect(marshalGoJson({ name: '<a&b>' })).toBe('{"name":"\\u003ca\\u0026b\\u003e"}');
  });
});

describe('toGoFloat32', () => {
  it.each([
    [1, 1],
    [0.5, 0.5],
    [0.1, 0.1],
    [0.123456789, 0.12345679],
  ])('prints %d as float32 %d', (input, expected) => {
    expect(toGoFloat32(input)).toBe(expected);
  });
});
