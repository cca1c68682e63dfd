import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { REFERENCE_POLICY } from '../model/policy.ts';
import { detectRuntime, resolveTargetConfig } from './resolve-target-config.ts';
import { TARGET_DEFAULTS } from './target-defaults.ts';

const CONFIG_PATH = path.join(import.meta.dirname, 'my-target.ts');
const PEM = { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } } as const;
const RSA = generateKeyPairSync('rsa', { modulusLength: 2048, ...PEM });
const OTHER_RSA = generateKeyPairSync('rsa', { modulusLength: 2048, ...PEM });
const EC = generateKeyPairSync('ec', { namedCurve: 'P-256', ...PEM });
const COMMAND = ['node', 'server.js'];

function resolveError(input: unknown): HarnessError {
  try {
    resolveTargetConfig(input, CONFIG_PATH);
  } catch (err) {
    if (err instanceof HarnessError) return err;
    throw err;
  }
  throw new Error('the config was accepted');
}

const INVALID_CASES: [string, unknown, string][] = [
  ['not an object', 'node server.js', 'the config is "node server.js"; expected an object with the fields name, command,'],
  ['unknown field', { command: COMMAND, comand: COMMAND }, 'unknown field "comand"; did you mean "command"? known fields: name, command,'],
  ['missing command', {}, 'command is missing; expected a non-empty array of non-empty strings, such as ["node", "server.js"].'],
  ['empty command', { command: [] }, 'command is []; expected a non-empty array'],
  ['string command', { command: 'node server.js' }, 'command is "node server.js"; expected a non-empty array'],
  ['empty argument', { command: ['node', ''] }, 'command[1] is ""; expected a non-empty array'],
  ['empty name', { command: COMMAND, name: '' }, 'name is ""; expected a non-empty string.'],
  ['missing cwd', { command: COMMAND, cwd: 'no-such-folder' }, `cwd is "no-such-folder"; expected a folder that exists, relative to the config file; ${path.join(import.meta.dirname, 'no-such-folder')} is not one.`],
  ['file as cwd', { command: COMMAND, cwd: 'start-target.ts' }, 'cwd is "start-target.ts"; expected a folder that exists'],
  ['missing schema', { command: COMMAND, schemaFile: 'schema.sql' }, 'schemaFile is "schema.sql"; expected a file that exists'],
  ['number env value', { command: COMMAND, env: { RETRIES: 3 } }, 'env.RETRIES is 3; expected a string; quote numbers and booleans.'],
  ['env as array', { command: COMMAND, env: ['A=1'] }, 'env is ["A=1"]; expected an object of environment variable names to strings.'],
  ['unknown runtime', { command: COMMAND, runtime: 'deno' }, 'runtime is "deno"; expected one of "node", "other".'],
  ['relative path', { command: COMMAND, path: 'ws' }, 'path is "ws"; expected an HTTP path starting with "/" and without spaces.'],
  ['unknown transport', { command: COMMAND, tokenTransport: 'header' }, 'tokenTransport is "header"; expected one of "authorization-header", "subprotocol", "cookie", "query".'],
  ['parameter with space', { command: COMMAND, tokenParameter: 'access token' }, 'tokenParameter is "access token"; expected a cookie or query parameter name'],
  ['ready path with space', { command: COMMAND, readyPath: '/ready z' }, 'readyPath is "/ready z"; expected an HTTP path'],
  ['ready timeout too short', { command: COMMAND, readyTimeoutMs: 50 }, 'readyTimeoutMs is 50; expected an integer from 100 to 600000 (ms).'],
  ['ready timeout fraction', { command: COMMAND, readyTimeoutMs: 1500.5 }, 'readyTimeoutMs is 1500.5; expected an integer from 100 to 600000 (ms).'],
  ['ready timeout as text', { command: COMMAND, readyTimeoutMs: '30000' }, 'readyTimeoutMs is "30000"; expected an integer from 100 to 600000 (ms).'],
  ['negative leak wait', { command: COMMAND, leakSettleMs: -1 }, 'leakSettleMs is -1; expected an integer from 0 to 600000 (ms).'],
  ['short secret', { command: COMMAND, jwt: { secret: 'hunter2' } }, 'jwt.secret is 7 bytes long (value hidden); expected at least 32 bytes for HS256 (RFC 7518 section 3.2), or leave it out for a random one.'],
  ['empty issuer', { command: COMMAND, jwt: { issuer: '' } }, 'jwt.issuer is ""; expected a non-empty string.'],
  ['unknown jwt field', { command: COMMAND, jwt: { algorithms: 'RS256' } }, 'unknown field "jwt.algorithms"; did you mean "algorithm"? known fields: issuer, audience, secret, algorithm, publicKey, privateKey.'],
  ['unknown jwt algorithm', { command: COMMAND, jwt: { algorithm: 'ES256' } }, 'jwt.algorithm is "ES256"; expected one of "HS256", "RS256".'],
  ['RS256 without keys', { command: COMMAND, jwt: { algorithm: 'RS256' } }, 'jwt.publicKey is missing; expected an RSA public key as PEM, with jwt.privateKey, because jwt.algorithm is "RS256".'],
  ['public key alone', { command: COMMAND, jwt: { publicKey: RSA.publicKey } }, 'jwt.privateKey is missing; expected the RSA private key as PEM (PKCS#8) that belongs to jwt.publicKey.'],
  ['public key not PEM', { command: COMMAND, jwt: { publicKey: 'abc', privateKey: RSA.privateKey } }, 'jwt.publicKey is not a PEM key; expected an RSA public key as PEM text.'],
  ['private key not PEM', { command: COMMAND, jwt: { publicKey: RSA.publicKey, privateKey: 'abc' } }, 'jwt.privateKey is (value hidden); expected an RSA private key as PEM text.'],
  ['EC key pair', { command: COMMAND, jwt: { publicKey: EC.publicKey, privateKey: EC.privateKey } }, 'jwt.publicKey is a key of type ec; expected an RSA public key as PEM text.'],
  ['keys of two pairs', { command: COMMAND, jwt: { publicKey: OTHER_RSA.publicKey, privateKey: RSA.privateKey } }, 'expected the public key of jwt.privateKey; the two keys are not one pair.'],
  ['status below 100', { command: COMMAND, policy: { statuses: { forbidden: 99 } } }, 'policy.statuses.forbidden is 99; expected an integer from 100 to 599 (an HTTP status).'],
  ['status above 599', { command: COMMAND, policy: { statuses: { missing: 600 } } }, 'policy.statuses.missing is 600; expected an integer from 100 to 599 (an HTTP status).'],
  ['unknown rejection class', { command: COMMAND, policy: { statuses: { banned: 403 } } }, 'unknown field "policy.statuses.banned"; known fields: missing, invalid, expired, forbidden,'],
  ['close code below 1000', { command: COMMAND, policy: { closeCodes: { shutdown: 999 } } }, 'policy.closeCodes.shutdown is 999; expected an integer from 1000 to 4999 (a WebSocket close code).'],
  ['close code above 4999', { command: COMMAND, policy: { closeCodes: { internalError: 5000 } } }, 'policy.closeCodes.internalError is 5000; expected an integer from 1000 to 4999'],
  ['reserved close code', { command: COMMAND, policy: { closeCodes: { shutdown: 1006 } } }, 'policy.closeCodes.shutdown is 1006; expected a code a close frame can carry; 1004, 1005, 1006, 1015 never appear on the wire (RFC 6455 section 7.4.1).'],
  ['identity without field', { command: COMMAND, identity: { messageType: 'welcome' } }, 'identity.userIdField is missing; expected the field of that message that holds the user id'],
  ['identity as string', { command: COMMAND, identity: 'welcome' }, 'identity is "welcome"; expected an object with the fields messageType, userIdField.'],
  ['zero digits', { command: COMMAND, fixtures: { validUserDigits: 0 } }, 'fixtures.validUserDigits is 0; expected an integer from 1 to 9.'],
  ['count beyond digits', { command: COMMAND, fixtures: { validUserDigits: 2, validUserCount: 100 } }, 'fixtures.validUserCount is 100; expected an integer from 1 to 99 (it must fit in 2 digits).'],
  ['default count beyond digits', { command: COMMAND, fixtures: { validUserDigits: 3 } }, 'fixtures.validUserCount is missing; expected a count from 1 to 999, because the default 1000 needs more than 3 digits.'],
  ['empty channel', { command: COMMAND, fixtures: { channel: '' } }, 'fixtures.channel is ""; expected a non-empty string.'],
  ['unknown signal', { command: COMMAND, shutdown: { signal: 'SIGKILL' } }, 'shutdown.signal is "SIGKILL"; expected one of "SIGTERM", "SIGINT".'],
  ['negative grace', { command: COMMAND, shutdown: { graceMs: -1 } }, 'shutdown.graceMs is -1; expected an integer from 0 to 600000 (ms).'],
  ['grace in seconds field', { command: COMMAND, shutdown: { grace: 10 } }, 'unknown field "shutdown.grace"; did you mean "graceMs"? known fields: signal, graceMs.'],
  ['env name with dash', { command: COMMAND, settingsEnv: { verifyTimeoutMs: 'VERIFY-TIMEOUT' } }, 'settingsEnv.verifyTimeoutMs is "VERIFY-TIMEOUT"; expected an environment variable name such as "VERIFY_TIMEOUT_MS".'],
];

describe('resolveTargetConfig', () => {
  it.each(INVALID_CASES)('rejects %s', (_title, input, fragment) => {
    const error = resolveError(input);

    expect(error.code).toBe('WUC_ERR_TARGET_CONFIG_INVALID');
    expect(error.message).toContain(`Invalid target config ${CONFIG_PATH}: `);
    expect(error.message).toContain(fragment);
  });

  it('accepts an RS256 key pair', () => {
    const config = resolveTargetConfig({ command: COMMAND, jwt: { algorithm: 'RS256', ...RSA } }, CONFIG_PATH);

    expect(config.jwt.algorithm).toBe('RS256');
    expect(config.jwt.publicKey).toBe(RSA.publicKey);
    expect(config.jwt.privateKey).toBe(RSA.privateKey);
  });

  it('keeps the private key out of messages', () => {
    const error = resolveError({ command: COMMAND, jwt: { publicKey: OTHER_RSA.publicKey, privateKey: RSA.privateKey } });

    expect(error.message).not.toContain('PRIVATE KEY');
  });

  it('keeps the secret out of messages', () => {
    const error = resolveError({ command: COMMAND, jwt: { secret: 'short-secret-value' } });

    expect(error.message).not.toContain('short-secret-value');
  });

  it('fills every default', () => {
    const config = resolveTargetConfig({ command: COMMAND }, CONFIG_PATH);

    expect(config).toEqual({
      name: 'my-target',
      configPath: CONFIG_PATH,
      command: COMMAND,
      cwd: import.meta.dirname,
      env: {},
      runtime: 'node',
      path: '/ws?channel=lobby',
      tokenTransport: 'authorization-header',
      tokenParameter: 'access_token',
      readyPath: '/readyz',
      readyTimeoutMs: 30_000,
      leakSettleMs: 12_000,
      schemaFile: null,
      jwt: {
        issuer: 'ws-upgrade-chaos',
        audience: 'ws-upgrade-chaos-clients',
        secret: expect.any(String),
        algorithm: 'HS256',
        publicKey: null,
        privateKey: null,
      },
      policy: REFERENCE_POLICY,
      identity: null,
      fixtures: {
        validUserPrefix: 'user-',
        validUserDigits: 4,
        validUserCount: 1000,
        disabledUserId: 'user-disabled',
        noPermissionUserId: 'user-no-permission',
        unknownUserId: 'user-unknown',
        revokedTokenId: 'revoked-token-id',
        channel: 'lobby',
      },
      shutdown: { signal: 'SIGTERM', graceMs: 10_000 },
      settingsEnv: { verifyTimeoutMs: null, shutdownGraceMs: null, jwtAlgorithms: null },
    });
    expect(Buffer.byteLength(config.jwt.secret)).toBeGreaterThanOrEqual(32);
  });

  it('draws a new secret per config', () => {
    const first = resolveTargetConfig({ command: COMMAND }, CONFIG_PATH);
    const second = resolveTargetConfig({ command: COMMAND }, CONFIG_PATH);

    expect(first.jwt.secret).not.toBe(second.jwt.secret);
  });

  it('merges a partial policy', () => {
    const config = resolveTargetConfig(
      { command: COMMAND, policy: { statuses: { rateLimited: 503 }, closeCodes: { shutdown: 4000 } } },
      CONFIG_PATH,
    );

    expect(config.policy.statuses).toEqual({ ...REFERENCE_POLICY.statuses, rateLimited: 503 });
    expect(config.policy.closeCodes).toEqual({ ...REFERENCE_POLICY.closeCodes, shutdown: 4000 });
    expect(REFERENCE_POLICY.statuses.rateLimited).toBe(429);
  });

  it('resolves paths against the config folder', () => {
    const config = resolveTargetConfig({ command: COMMAND, cwd: '..', schemaFile: 'start-target.ts' }, CONFIG_PATH);

    expect(config.cwd).toBe(path.resolve(import.meta.dirname, '..'));
    expect(config.schemaFile).toBe(path.join(import.meta.dirname, 'start-target.ts'));
  });

  it('accepts an object without a path', () => {
    const config = resolveTargetConfig({ command: COMMAND }, null);

    expect(config.name).toBe('target');
    expect(config.configPath).toBeNull();
    expect(config.cwd).toBe(process.cwd());
  });

  it('names an object config in errors', () => {
    expect(() => resolveTargetConfig({}, null)).toThrow('Invalid target config (given as an object): command is missing');
  });

  it('keeps identity null when given null', () => {
    expect(resolveTargetConfig({ command: COMMAND, identity: null }, CONFIG_PATH).identity).toBeNull();
  });

  it('reports every problem at once', () => {
    const input = {
      comand: COMMAND,
      cwd: 'no-such-folder',
      schemaFile: 'missing.sql',
      readyTimeoutMs: 5,
      policy: { statuses: { forbidden: 99, missing: 600 } },
    };

    const lines = resolveError(input).message.split('\n');

    expect(lines[0]).toBe(`Invalid target config ${CONFIG_PATH}: 7 problems:`);
    expect(lines[1]).toMatch(/^ {2}- unknown field "comand"; did you mean "command"\? known fields: name, command,/);
    expect(lines[2]).toBe('  - command is missing; expected a non-empty array of non-empty strings, such as ["node", "server.js"].');
    expect(lines[3]).toBe(
      `  - cwd is "no-such-folder"; expected a folder that exists, relative to the config file; ${path.join(import.meta.dirname, 'no-such-folder')} is not one.`,
    );
    expect(lines[4]).toBe('  - readyTimeoutMs is 5; expected an integer from 100 to 600000 (ms).');
    expect(lines[5]).toBe(
      `  - schemaFile is "missing.sql"; expected a file that exists, relative to the config file; ${path.join(import.meta.dirname, 'missing.sql')} is not one.`,
    );
    expect(lines[6]).toBe('  - policy.statuses.missing is 600; expected an integer from 100 to 599 (an HTTP status).');
    expect(lines[7]).toBe('  - policy.statuses.forbidden is 99; expected an integer from 100 to 599 (an HTTP status).');
    expect(lines).toHaveLength(8);
  });

  it('checks every field of jwt and shutdown', () => {
    const input = { command: COMMAND, jwt: { secret: 'short', algorithm: 'ES256' }, shutdown: { signal: 'SIGFOO', graceMs: 'ten' } };

    const lines = resolveError(input).message.split('\n');

    expect(lines[0]).toBe(`Invalid target config ${CONFIG_PATH}: 4 problems:`);
    expect(lines[1]).toBe('  - jwt.algorithm is "ES256"; expected one of "HS256", "RS256".');
    expect(lines[2]).toMatch(/^ {2}- jwt\.secret is 5 bytes long \(value hidden\); expected /);
    expect(lines[3]).toBe('  - shutdown.signal is "SIGFOO"; expected one of "SIGTERM", "SIGINT".');
    expect(lines[4]).toBe('  - shutdown.graceMs is "ten"; expected an integer from 0 to 600000 (ms).');
    expect(lines).toHaveLength(5);
  });

  it('keeps the one-line form for one problem', () => {
    const error = resolveError({ command: COMMAND, schemaFile: 'missing.sql' });

    expect(error.message).toBe(
      `Invalid target config ${CONFIG_PATH}: schemaFile is "missing.sql"; expected a file that exists, relative to the config file; ` +
        `${path.join(import.meta.dirname, 'missing.sql')} is not one.`,
    );
  });

  it('allows an empty user prefix', () => {
    const config = resolveTargetConfig({ command: COMMAND, fixtures: { validUserPrefix: '' } }, CONFIG_PATH);

    expect(config.fixtures.validUserPrefix).toBe('');
  });
});

describe('detectRuntime', () => {
  it.each([
    ['node', 'node'],
    ['/usr/local/bin/node', 'node'],
    [process.execPath, 'node'],
    ['python3', 'other'],
    ['./node_modules/.bin/tsx', 'other'],
  ] as const)('detects %s as %s', (executable, runtime) => {
    expect(detectRuntime(executable)).toBe(runtime);
  });
});

describe('TARGET_DEFAULTS', () => {
  it('matches the @default tags', () => {
    const source = readFileSync(path.join(import.meta.dirname, '../model/target-config.ts'), 'utf8');
    const documented = new Map<string, unknown>();
    for (const match of source.matchAll(/@default (.+?) \*\/\s*\n\s*(\w+)\??:/g)) {
      const [, literal = '', field = ''] = match;
      if (/^('[^']*'|\d+|null)$/.test(literal)) documented.set(field, JSON.parse(literal.replaceAll("'", '"')));
    }
    const actual = new Map<string, unknown>([
      ...Object.entries(TARGET_DEFAULTS),
      ...Object.entries(TARGET_DEFAULTS.fixtures),
      ...Object.entries(TARGET_DEFAULTS.jwt),
      ...Object.entries(TARGET_DEFAULTS.shutdown),
    ]);

    expect(documented.size).toBe(19);
    for (const [field, value] of documented) expect({ field, value: actual.get(field) }).toEqual({ field, value });
  });
});
