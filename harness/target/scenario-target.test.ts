import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { resolveTargetConfig } from './resolve-target-config.ts';
import { jwtEnvironment, targetForScenario } from './scenario-target.ts';

const RSA = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const HS_TARGET = resolveTargetConfig({ name: 'hs-only', command: ['node', 'server.js'] }, null);
const KEYED_TARGET = resolveTargetConfig(
  { name: 'keyed', command: ['node', 'server.js'], jwt: RSA, settingsEnv: { jwtAlgorithms: 'JWT_ALGORITHMS' } },
  null,
);

function scenario(fields: Partial<ScenarioDefinition>): ScenarioDefinition {
  return { name: 'pinning', tags: [], description: 'test', timeline: [], ...fields };
}

describe('targetForScenario', () => {
  it('switches the algorithm for an RS256 scenario', () => {
    const effective = targetForScenario(KEYED_TARGET, scenario({ setup: { jwtAlgorithm: 'RS256' } }));

    expect(effective.jwt.algorithm).toBe('RS256');
    expect(KEYED_TARGET.jwt.algorithm).toBe('HS256');
  });

  it('names the missing settingsEnv field', () => {
    expect(() => targetForScenario(HS_TARGET, scenario({ setup: { jwtAlgorithm: 'RS256' } }))).toThrow(
      'Scenario "pinning" runs target "hs-only" with RS256 tokens, but the target config has no settingsEnv.jwtAlgorithms',
    );
  });

  it('names the class and the missing key field', () => {
    const timeline = [{ action: 'open' as const, count: 1, tokenClass: 'alg-confusion' as const }];

    expect(() => targetForScenario(HS_TARGET, scenario({ timeline }))).toThrow(
      /^Scenario "pinning": Token class "alg-confusion" cannot be minted for target "hs-only": .* no jwt\.publicKey/,
    );
  });

  it('names the missing private key for RS256', () => {
    const target = { ...KEYED_TARGET, jwt: { ...KEYED_TARGET.jwt, privateKey: null } };

    expect(() => targetForScenario(target, scenario({ setup: { jwtAlgorithm: 'RS256' } }))).toThrow(
      'signs RS256 tokens but has no jwt.privateKey',
    );
  });
});

describe('jwtEnvironment', () => {
  it('passes the public key only for RS256', () => {
    const rs256 = targetForScenario(KEYED_TARGET, scenario({ setup: { jwtAlgorithm: 'RS256' } }));

    expect(jwtEnvironment(rs256)).toEqual({
      JWT_SECRET: KEYED_TARGET.jwt.secret,
      JWT_ISSUER: 'ws-upgrade-chaos',
      JWT_AUDIENCE: 'ws-upgrade-chaos-clients',
      JWT_PUBLIC_KEY: RSA.publicKey,
      JWT_ALGORITHMS: 'RS256',
    });
    expect(jwtEnvironment(KEYED_TARGET)).toEqual({
      JWT_SECRET: KEYED_TARGET.jwt.secret,
      JWT_ISSUER: 'ws-upgrade-chaos',
      JWT_AUDIENCE: 'ws-upgrade-chaos-clients',
      JWT_ALGORITHMS: 'HS256',
    });
  });

  it('sets no algorithm variable without settingsEnv.jwtAlgorithms', () => {
    expect(Object.keys(jwtEnvironment(HS_TARGET)).sort()).toEqual(['JWT_AUDIENCE', 'JWT_ISSUER', 'JWT_SECRET']);
  });
});
