import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from './finding-codes.ts';

const DOC = readFileSync(new URL('../../docs/findings.md', import.meta.url), 'utf8');

/** Rows of the doc table as code -> [proves, cause]. */
function readDocTable(): Map<string, [string, string]> {
  const rows = new Map<string, [string, string]>();
  for (const line of DOC.split('\n')) {
    const match = /^\| `([a-z-]+)` \| (.+) \| (.+) \|$/.exec(line);
    if (match) rows.set(match[1] ?? '', [match[2] ?? '', match[3] ?? '']);
  }
  return rows;
}

describe('finding codes doc', () => {
  it('lists every code with its text', () => {
    const rows = readDocTable();
    for (const [code, entry] of Object.entries(FINDING_CODES)) {
      expect(rows.get(code), code).toEqual([entry.proves, entry.cause]);
    }
  });

  it('lists no unknown code', () => {
    const known = Object.keys(FINDING_CODES);
    expect([...readDocTable().keys()].filter((code) => !known.includes(code))).toEqual([]);
  });
});
