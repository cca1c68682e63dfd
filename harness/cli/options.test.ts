import { describe, expect, it } from 'vitest';

import { HarnessError } from '../errors.ts';
import { parseOptions } from './options.ts';

function parseError(argv: string[]): HarnessError {
  try {
    parseOptions(argv);
  } catch (err) {
    if (err instanceof HarnessError) return err;
    throw err;
  }
  throw new Error(`parseOptions accepted ${argv.join(' ')}`);
}

describe('parseOptions', () => {
  it.each([['--filter', ','], ['--tag', ' , '], ['--filter=,'], ['--tag=,,']])('rejects an empty list %s', (...argv) => {
    const error = parseError(argv);
    expect(error.code).toBe('WUC_ERR_USAGE_INVALID_OPTION');
    expect(error.message).toMatch(/^--(filter|tag) ".*" names nothing; give comma-separated (scenario names|tags)$/);
  });

  it('splits and trims lists', () => {
    const options = parseOptions(['--filter', 'slow-db, failing-tokens', '--tag=seed']);
    expect(options.filter).toEqual(['slow-db', 'failing-tokens']);
    expect(options.tag).toEqual(['seed']);
  });

  it.each(['0x10', '1e3', '-4', '12.5', '4294967296'])('rejects seed %s', (seed) => {
    expect(parseError(['--seed', seed]).message).toBe(`--seed "${seed}" is invalid; give an integer from 0 to 4294967295`);
  });

  it('accepts a decimal seed', () => {
    expect(parseOptions(['--seed', '4294967295']).seed).toBe(4294967295);
  });

  it('takes -h for help', () => {
    expect(parseOptions(['-h']).help).toBe(true);
  });

  it('names a stray argument', () => {
    const error = parseError(['--list', 'extra']);
    expect(error.code).toBe('WUC_ERR_USAGE_UNKNOWN_OPTION');
    expect(error.message).toBe('unexpected argument "extra"; scenario names go in --filter, for example --filter extra');
  });
});
