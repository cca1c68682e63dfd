import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_ERROR_CODES } from './errors.ts';
import { CLOSE_POLICY, REJECTION_POLICY, SERVER_POLICY } from './policy.ts';

const README = readFileSync(new URL('./README.md', import.meta.url), 'utf8');

describe('policy', () => {
  it('has the reference statuses and close codes', () => {
    expect(SERVER_POLICY).toEqual({
      statuses: {
        missing: 401,
        invalid: 401,
        expired: 401,
        forbidden: 403,
        rateLimited: 429,
        unavailable: 503,
        shuttingDown: 503,
        timedOut: 503,
      },
      closeCodes: { shutdown: 1001, tokenExpired: 1008, internalError: 1011 },
    });
  });

  it('sends Retry-After with every 503', () => {
    for (const rule of Object.values(REJECTION_POLICY)) {
      if (rule.status === 503) expect(rule.retryAfterS).toBeGreaterThan(0);
      if (rule.status < 429) expect(rule.retryAfterS).toBeNull();
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(REJECTION_POLICY)).toBe(true);
    expect(Object.isFrozen(REJECTION_POLICY.missing)).toBe(true);
    expect(Object.isFrozen(CLOSE_POLICY.shutdown)).toBe(true);
    expect(Object.isFrozen(SERVER_POLICY.statuses)).toBe(true);
  });
});

describe('server README', () => {
  it('lists every rejection class with its status', () => {
    for (const [name, rule] of Object.entries(REJECTION_POLICY)) {
      expect(README).toMatch(new RegExp(`\\| \`${name}\` \\| ${rule.status}[ |]`));
    }
  });

  it('lists every close code with its reason', () => {
    for (const [name, rule] of Object.entries(CLOSE_POLICY)) {
      expect(README).toContain(`| \`${name}\` | ${rule.code} | \`${rule.reason}\` |`);
    }
  });

  it('lists every error code', () => {
    for (const code of Object.keys(SERVER_ERROR_CODES)) expect(README).toContain(`| \`${code}\` |`);
  });
});
