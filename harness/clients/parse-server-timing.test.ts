import { describe, expect, it } from 'vitest';
import { parseServerTiming } from './parse-server-timing.ts';

describe('parseServerTiming', () => {
  it('reads the reference server header', () => {
    const header = 'token;dur=0.4, limit;dur=0.1, lookup;dur=402.3';
    expect(parseServerTiming(header)).toEqual({ token: 0.4, limit: 0.1, lookup: 402.3 });
  });

  it('returns null without a header', () => {
    expect(parseServerTiming(undefined)).toBeNull();
    expect(parseServerTiming('')).toBeNull();
  });

  it('skips metrics without a valid dur', () => {
    expect(parseServerTiming('miss, db;desc="no dur", cpu;dur=abc, edge;dur=-1')).toBeNull();
    expect(parseServerTiming('miss, cache;dur=2')).toEqual({ cache: 2 });
  });

  it('keeps commas inside quoted descriptions', () => {
    const header = 'db;desc="users, permissions";dur=12, app;dur="3.5"';
    expect(parseServerTiming(header)).toEqual({ db: 12, app: 3.5 });
  });

  it('takes the first of repeated names', () => {
    expect(parseServerTiming('db;dur=5, db;dur=9')).toEqual({ db: 5 });
    expect(parseServerTiming('db;dur=5;dur=9')).toEqual({ db: 5 });
  });

  it('joins repeated header lines', () => {
    expect(parseServerTiming(['token;dur=1', 'lookup;dur=2'])).toEqual({ token: 1, lookup: 2 });
  });

  it('ignores invalid metric names', () => {
    expect(parseServerTiming('bad name;dur=1, "quoted";dur=2, ok;DUR=3')).toEqual({ ok: 3 });
  });
});
