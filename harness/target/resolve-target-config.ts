import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { REFERENCE_POLICY, REJECTION_CLASSES, SERVER_CLOSE_CLASSES, type TargetPolicy } from '../model/policy.ts';
import type { JwtAlgorithm, TargetConfig, TargetConfigInput, TargetFixtures, TokenTransport } from '../model/target-config.ts';
import { ConfigChecker, isPlainObject } from './config-checker.ts';
import { TARGET_DEFAULTS } from './target-defaults.ts';

const TOP_LEVEL_KEYS = [
  'name', 'command', 'cwd', 'env', 'runtime', 'path', 'tokenTransport', 'tokenParameter', 'readyPath',
  'readyTimeoutMs', 'leakSettleMs', 'schemaFile', 'jwt', 'policy', 'identity', 'fixtures', 'shutdown', 'settingsEnv',
] as const satisfies readonly (keyof TargetConfigInput)[];

/** Fails to compile when TargetConfigInput gains a field that TOP_LEVEL_KEYS does not list. */
type UnlistedKey = Exclude<keyof TargetConfigInput, (typeof TOP_LEVEL_KEYS)[number]>;
type AssertNever<T extends never> = T;
type TopLevelKeysComplete = AssertNever<UnlistedKey>;

const JWT_ALGORITHMS = ['HS256', 'RS256'] as const satisfies readonly JwtAlgorithm[];

const TOKEN_TRANSPORTS = ['authorization-header', 'subprotocol', 'cookie', 'query'] as const satisfies readonly TokenTransport[];

const FIXTURE_KEYS = Object.keys(TARGET_DEFAULTS.fixtures) as (keyof TargetFixtures)[];

/** Limits of the time fields, in ms. Ten minutes is far past any sane start or shutdown. */
const MAX_WAIT_MS = 600_000;
const MIN_READY_TIMEOUT_MS = 100;

/** RFC 7518 section 3.2: an HS256 key must be at least as long as the hash output, 256 bits. */
const MIN_SECRET_BYTES = 32;

/** Close codes RFC 6455 section 7.4.1 forbids in a close frame, so a policy cannot expect them. */
const RESERVED_CLOSE_CODES = [1004, 1005, 1006, 1015];

/** An RFC 9110 token, the syntax of a cookie or query parameter name we can send unescaped. */
const TOKEN_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HTTP_PATH_PATTERN = /^\/\S*$/;

/**
 * Validates a target config given as an object and fills every default. Relative `cwd` and
 * `schemaFile` are resolved against the folder of `configPath`, or the current folder when it
 * is null. Throws WUC_ERR_TARGET_CONFIG_INVALID naming the field, the value and the fix.
 */
export function resolveTargetConfig(input: unknown, configPath: string | null): TargetConfig {
  const check = new ConfigChecker(configPath ?? '(given as an object)');
  return check.run(() => resolveFields(check, input, configPath));
}

/** Checks each field on its own, so one run of the checker reports every problem. */
function resolveFields(check: ConfigChecker, input: unknown, configPath: string | null): TargetConfig {
  const raw = check.object('', input, TOP_LEVEL_KEYS, false) ?? {};
  const baseDir = configPath === null ? process.cwd() : path.dirname(configPath);
  const field = <T>(validate: () => T): T => check.field(validate);
  const command = field(() => resolveCommand(check, raw.command)) ?? [];

  return {
    name: field(() => (raw.name === undefined ? defaultName(configPath) : check.string('name', raw.name))),
    configPath,
    command,
    cwd: field(() => (raw.cwd === undefined ? baseDir : resolveExisting(check, 'cwd', raw.cwd, baseDir, 'folder'))),
    env: field(() => resolveEnv(check, raw.env)),
    runtime: field(() =>
      raw.runtime === undefined ? detectRuntime(command[0] ?? '') : check.oneOf('runtime', raw.runtime, ['node', 'other']),
    ),
    path: field(() => optional(raw.path, TARGET_DEFAULTS.path, (value) => checkHttpPath(check, 'path', value))),
    tokenTransport: field(() =>
      optional(raw.tokenTransport, TARGET_DEFAULTS.tokenTransport, (value) => check.oneOf('tokenTransport', value, TOKEN_TRANSPORTS)),
    ),
    tokenParameter: field(() =>
      optional(raw.tokenParameter, TARGET_DEFAULTS.tokenParameter, (value) =>
        check.string('tokenParameter', value, TOKEN_PATTERN, 'a cookie or query parameter name such as "access_token"'),
      ),
    ),
    readyPath: field(() => optional(raw.readyPath, TARGET_DEFAULTS.readyPath, (value) => checkHttpPath(check, 'readyPath', value))),
    readyTimeoutMs: field(() =>
      optional(raw.readyTimeoutMs, TARGET_DEFAULTS.readyTimeoutMs, (value) =>
        check.integer('readyTimeoutMs', value, MIN_READY_TIMEOUT_MS, MAX_WAIT_MS, 'ms'),
      ),
    ),
    leakSettleMs: field(() =>
      optional(raw.leakSettleMs, TARGET_DEFAULTS.leakSettleMs, (value) => check.integer('leakSettleMs', value, 0, MAX_WAIT_MS, 'ms')),
    ),
    schemaFile: field(() =>
      raw.schemaFile === undefined ? null : resolveExisting(check, 'schemaFile', raw.schemaFile, baseDir, 'file'),
    ),
    jwt: field(() => resolveJwt(check, raw.jwt)),
    policy: field(() => resolvePolicy(check, raw.policy)),
    identity: field(() => resolveIdentity(check, raw.identity)),
    fixtures: field(() => resolveFixtures(check, raw.fixtures)),
    shutdown: field(() => resolveShutdown(check, raw.shutdown)),
    settingsEnv: field(() => resolveSettingsEnv(check, raw.settingsEnv)),
  };
}

function optional<T>(value: unknown, fallback: T, validate: (value: unknown) => T): T {
  return value === undefined ? fallback : validate(value);
}

function resolveCommand(check: ConfigChecker, value: unknown): string[] {
  const expected = 'a non-empty array of non-empty strings, such as ["node", "server.js"]';
  if (!Array.isArray(value) || value.length === 0) check.fail('command', value, expected);
  return value.map((part: unknown, index) => check.string(`command[${index}]`, part, undefined, expected));
}

/** The config file's base name without its extension, such as `reference` for `reference.ts`. */
function defaultName(configPath: string | null): string {
  if (configPath === null) return 'target';
  return path.basename(configPath, path.extname(configPath));
}

/** A command that starts with `node` or this process's own executable runs under Node. */
export function detectRuntime(executable: string): 'node' | 'other' {
  if (executable === process.execPath) return 'node';
  const base = path.basename(executable).toLowerCase();
  return base === 'node' || base === 'node.exe' ? 'node' : 'other';
}

function resolveExisting(check: ConfigChecker, field: string, value: unknown, baseDir: string, kind: 'file' | 'folder') {
  const relative = check.string(field, value, undefined, `a ${kind} path relative to the config file`);
  const resolved = path.resolve(baseDir, relative);
  let stats;
  try {
    stats = statSync(resolved);
  } catch {
    // Any stat failure (missing, no permission) means the path is unusable; the message says so.
    stats = null;
  }
  const exists = kind === 'file' ? stats?.isFile() : stats?.isDirectory();
  if (exists !== true) {
    check.fail(field, value, `a ${kind} that exists, relative to the config file; ${resolved} is not one`);
  }
  return resolved;
}

function resolveEnv(check: ConfigChecker, value: unknown): Record<string, string> {
  if (value === undefined) return { ...TARGET_DEFAULTS.env };
  if (!isPlainObject(value)) check.fail('env', value, 'an object of environment variable names to strings');
  const env: Record<string, string> = {};
  for (const [name, text] of Object.entries(value)) {
    if (name === '' || name.includes('=')) check.fail('env', value, 'variable names without "=" and not empty');
    if (typeof text !== 'string') check.fail(`env.${name}`, text, 'a string; quote numbers and booleans');
    env[name] = text;
  }
  return env;
}

function checkHttpPath(check: ConfigChecker, field: string, value: unknown): string {
  return check.string(field, value, HTTP_PATH_PATTERN, 'an HTTP path starting with "/" and without spaces');
}

function resolveJwt(check: ConfigChecker, value: unknown): TargetConfig['jwt'] {
  const raw = check.object('jwt', value, ['issuer', 'audience', 'secret', 'algorithm', 'publicKey', 'privateKey']) ?? {};
  // Each field is checked on its own, so one problem does not hide the next.
  const algorithm = check.field(() =>
    optional(raw.algorithm, TARGET_DEFAULTS.jwt.algorithm, (name) => check.oneOf('jwt.algorithm', name, JWT_ALGORITHMS)),
  );
  const keyPair = check.field(() => resolveKeyPair(check, raw.publicKey, raw.privateKey));
  if (algorithm === 'RS256' && keyPair === null) {
    check.field(() =>
      check.fail('jwt.publicKey', undefined, 'an RSA public key as PEM, with jwt.privateKey, because jwt.algorithm is "RS256"'),
    );
  }
  return {
    issuer: check.field(() => optional(raw.issuer, TARGET_DEFAULTS.jwt.issuer, (issuer) => check.string('jwt.issuer', issuer))),
    audience: check.field(() =>
      optional(raw.audience, TARGET_DEFAULTS.jwt.audience, (audience) => check.string('jwt.audience', audience)),
    ),
    secret: check.field(() =>
      raw.secret === undefined ? randomBytes(MIN_SECRET_BYTES).toString('base64url') : checkSecret(check, raw.secret),
    ),
    algorithm,
    publicKey: keyPair?.publicKey ?? null,
    privateKey: keyPair?.privateKey ?? null,
  };
}

/**
 * Validates the RSA key pair: both PEM keys or neither, RSA keys, and the public key matching
 * the private one. The private key never appears in a message.
 */
function resolveKeyPair(check: ConfigChecker, publicValue: unknown, privateValue: unknown) {
  if (publicValue === undefined && privateValue === undefined) return null;
  if (publicValue === undefined) check.fail('jwt.publicKey', undefined, 'the RSA public key as PEM that belongs to jwt.privateKey');
  if (privateValue === undefined) {
    check.fail('jwt.privateKey', undefined, 'the RSA private key as PEM (PKCS#8) that belongs to jwt.publicKey');
  }

  const publicKey = parseKey(check, 'jwt.publicKey', publicValue, (pem) => createPublicKey(pem));
  const privateKey = parseKey(check, 'jwt.privateKey', privateValue, (pem) => createPrivateKey(pem), '(value hidden)');
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  if (!derived.equals(publicKey.export({ type: 'spki', format: 'der' }))) {
    check.fail('jwt.publicKey', publicValue, 'the public key of jwt.privateKey; the two keys are not one pair');
  }
  return { publicKey: publicValue as string, privateKey: privateValue as string };
}

function parseKey(
  check: ConfigChecker,
  field: string,
  value: unknown,
  parse: (pem: string) => KeyObject,
  shown?: string,
): KeyObject {
  const expected = `an RSA ${field.endsWith('publicKey') ? 'public' : 'private'} key as PEM text`;
  if (typeof value !== 'string') check.fail(field, value, expected, shown);
  let key: KeyObject;
  try {
    key = parse(value);
  } catch {
    // Node's parse errors say only that decoding failed; the expected form is the useful part.
    return check.fail(field, value, expected, shown ?? 'not a PEM key');
  }
  if (key.asymmetricKeyType !== 'rsa') check.fail(field, value, expected, shown ?? `a key of type ${key.asymmetricKeyType}`);
  return key;
}

/** Validates the secret without putting it in the message. */
function checkSecret(check: ConfigChecker, value: unknown): string {
  if (typeof value !== 'string') check.fail('jwt.secret', value, 'a string');
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes < MIN_SECRET_BYTES) {
    const expected = `at least ${MIN_SECRET_BYTES} bytes for HS256 (RFC 7518 section 3.2), or leave it out for a random one`;
    check.fail('jwt.secret', value, expected, `${bytes} bytes long (value hidden)`);
  }
  return value;
}

function resolvePolicy(check: ConfigChecker, value: unknown): TargetPolicy {
  const raw = check.object('policy', value, ['statuses', 'closeCodes']) ?? {};
  const statuses = check.object('policy.statuses', raw.statuses, REJECTION_CLASSES) ?? {};
  const closeCodes = check.object('policy.closeCodes', raw.closeCodes, SERVER_CLOSE_CLASSES) ?? {};
  const policy: TargetPolicy = {
    statuses: { ...REFERENCE_POLICY.statuses },
    closeCodes: { ...REFERENCE_POLICY.closeCodes },
  };
  for (const name of REJECTION_CLASSES) {
    if (statuses[name] === undefined) continue;
    const status = statuses[name];
    policy.statuses[name] = check.field(() => check.integer(`policy.statuses.${name}`, status, 100, 599, 'an HTTP status'));
  }
  for (const name of SERVER_CLOSE_CLASSES) {
    if (closeCodes[name] === undefined) continue;
    const code = check.integer(`policy.closeCodes.${name}`, closeCodes[name], 1000, 4999, 'a WebSocket close code');
    if (RESERVED_CLOSE_CODES.includes(code)) {
      check.fail(`policy.closeCodes.${name}`, code, `a code a close frame can carry; ${RESERVED_CLOSE_CODES.join(', ')} never appear on the wire (RFC 6455 section 7.4.1)`);
    }
    policy.closeCodes[name] = code;
  }
  return policy;
}

function resolveIdentity(check: ConfigChecker, value: unknown): TargetConfig['identity'] {
  if (value === undefined) return TARGET_DEFAULTS.identity;
  if (value === null) return null;
  const raw = check.object('identity', value, ['messageType', 'userIdField']) ?? {};
  return {
    messageType: check.string('identity.messageType', raw.messageType, undefined, 'the "type" of the first message, such as "welcome"'),
    userIdField: check.string('identity.userIdField', raw.userIdField, undefined, 'the field of that message that holds the user id, such as "userId"'),
  };
}

function resolveFixtures(check: ConfigChecker, value: unknown): TargetFixtures {
  const raw = check.object('fixtures', value, FIXTURE_KEYS) ?? {};
  const fixtures: TargetFixtures = { ...TARGET_DEFAULTS.fixtures };
  for (const key of FIXTURE_KEYS) {
    const given = raw[key];
    if (given === undefined || key === 'validUserDigits' || key === 'validUserCount') continue;
    // Only the prefix may be empty: user ids can be bare numbers.
    fixtures[key] = key === 'validUserPrefix' && given === '' ? '' : check.string(`fixtures.${key}`, given);
  }
  fixtures.validUserDigits = optional(raw.validUserDigits, fixtures.validUserDigits, (digits) =>
    check.integer('fixtures.validUserDigits', digits, 1, 9),
  );
  const maxCount = 10 ** fixtures.validUserDigits - 1;
  if (raw.validUserCount === undefined && fixtures.validUserCount > maxCount) {
    const expected = `a count from 1 to ${maxCount}, because the default ${fixtures.validUserCount} needs more than ${fixtures.validUserDigits} digits`;
    check.fail('fixtures.validUserCount', undefined, expected);
  }
  fixtures.validUserCount = optional(raw.validUserCount, fixtures.validUserCount, (count) =>
    check.integer('fixtures.validUserCount', count, 1, maxCount, `it must fit in ${fixtures.validUserDigits} digits`),
  );
  return fixtures;
}

function resolveShutdown(check: ConfigChecker, value: unknown): TargetConfig['shutdown'] {
  const raw = check.object('shutdown', value, ['signal', 'graceMs']) ?? {};
  return {
    signal: check.field(() =>
      optional(raw.signal, TARGET_DEFAULTS.shutdown.signal, (signal) => check.oneOf('shutdown.signal', signal, ['SIGTERM', 'SIGINT'])),
    ),
    graceMs: check.field(() =>
      optional(raw.graceMs, TARGET_DEFAULTS.shutdown.graceMs, (graceMs) =>
        check.integer('shutdown.graceMs', graceMs, 0, MAX_WAIT_MS, 'ms'),
      ),
    ),
  };
}

function resolveSettingsEnv(check: ConfigChecker, value: unknown): TargetConfig['settingsEnv'] {
  const raw = check.object('settingsEnv', value, ['verifyTimeoutMs', 'shutdownGraceMs', 'jwtAlgorithms']) ?? {};
  const expected = 'an environment variable name such as "VERIFY_TIMEOUT_MS"';
  const name = (field: keyof TargetConfig['settingsEnv']) =>
    optional(raw[field], TARGET_DEFAULTS.settingsEnv[field], (text) => check.string(`settingsEnv.${field}`, text, ENV_NAME_PATTERN, expected));
  return { verifyTimeoutMs: name('verifyTimeoutMs'), shutdownGraceMs: name('shutdownGraceMs'), jwtAlgorithms: name('jwtAlgorithms') };
}
