import { describe, expect, it } from 'vitest';
import { countCloseCodes, countStatuses, describeCloseCode, describeStatus, isAlarmingCloseCode } from './close-codes.ts';
import { makeAttempt } from './fixtures.test-helper.ts';

const ACCEPT_1001 = { kind: 'accept' as const, closeCode: 1001, label: 'accept, then close 1001 (shutdown)' };
const REJECT_503 = { kind: 'reject' as const, status: 503, label: '503 (shuttingDown)' };

describe('close code names', () => {
  it('names RFC 6455 codes and ranges', () => {
    expect(describeCloseCode(1000)).toBe('Normal Closure');
    expect(describeCloseCode(1001)).toBe('Going Away');
    expect(describeCloseCode(1005)).toBe('No Status Received');
    expect(describeCloseCode(1006)).toBe('Abnormal Closure');
    expect(describeCloseCode(1008)).toBe('Policy Violation');
    expect(describeCloseCode(1011)).toBe('Internal Error');
    expect(describeCloseCode(3001)).toBe('registered (libraries, frameworks)');
    expect(describeCloseCode(4001)).toBe('private use (application)');
    expect(describeCloseCode(2000)).toBe('not defined');
  });

  it('flags 1005, 1006 and 1011 only', () => {
    expect([1000, 1001, 1005, 1006, 1008, 1011].filter(isAlarmingCloseCode)).toEqual([1005, 1006, 1011]);
  });

  it('names statuses from http.STATUS_CODES', () => {
    expect(describeStatus(101)).toBe('Switching Protocols');
    expect(describeStatus(429)).toBe('Too Many Requests');
    expect(describeStatus(503)).toBe('Service Unavailable');
    expect(describeStatus(599)).toBe('unknown status');
  });
});

describe('status and close code counts', () => {
  const attempts = [
    makeAttempt({ id: 's#1', expected: [ACCEPT_1001], closeCode: 1001, closedBy: 'server' }),
    makeAttempt({ id: 's#2', expected: [ACCEPT_1001], closeCode: 1006, closedBy: 'server', verdict: 'unclean-close' }),
    makeAttempt({ id: 's#3', expected: [REJECT_503, ACCEPT_1001], status: 503, closeCode: null, closedBy: null }),
    makeAttempt({ id: 's#4', expected: [REJECT_503], status: 500, closeCode: null, closedBy: null, verdict: 'wrong-status' }),
    makeAttempt({ id: 's#5', status: 101, closeCode: 1000, closedBy: 'client' }),
    makeAttempt({ id: 's#6', status: null, closeCode: null, closedBy: null, verdict: 'hung' }),
  ];

  it('counts statuses and the ones not allowed', () => {
    expect(countStatuses(attempts)).toEqual([
      { status: 101, name: 'Switching Protocols', count: 3, notAllowed: 0 },
      { status: 500, name: 'Internal Server Error', count: 1, notAllowed: 1 },
      { status: 503, name: 'Service Unavailable', count: 1, notAllowed: 0 },
    ]);
  });

  it('counts close codes with who closed', () => {
    expect(countCloseCodes(attempts)).toEqual([
      { code: 1000, name: 'Normal Closure', count: 1, byServer: 0, byClient: 1, notAllowed: 0, alarming: false },
      { code: 1001, name: 'Going Away', count: 1, byServer: 1, byClient: 0, notAllowed: 0, alarming: false },
      { code: 1006, name: 'Abnormal Closure', count: 1, byServer: 1, byClient: 0, notAllowed: 1, alarming: true },
    ]);
  });
});
