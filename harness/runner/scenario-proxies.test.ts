import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import type { ProxyControl, StartedEnvironment } from '../model/environment.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import type { TargetConfig } from '../model/target-config.ts';
import { ScenarioProxies } from './scenario-proxies.ts';

/** Builds an environment whose Toxiproxy records each created proxy and listens on port 30000 + n. */
function fakeEnvironment(created: string[]): StartedEnvironment {
  const proxy = (name: string, port: number): ProxyControl => ({
    name,
    listenHost: '127.0.0.1',
    listenPort: port,
    addToxic: async () => undefined,
    removeToxic: async () => undefined,
    setEnabled: async () => undefined,
    reset: async () => undefined,
    stats: async () => null,
  });
  return {
    postgres: { adminUrl: 'postgres://app:secret@127.0.0.1:5432/harness', host: '127.0.0.1', port: 5432 },
    toxiproxy: {
      createProxy: async (name: string, upstream: string) => {
        created.push(`${name} -> ${upstream}`);
        return proxy(name, 30_000 + created.length);
      },
    },
  } as unknown as StartedEnvironment;
}

function scenarioWith(databaseProxies: { name: string; urlEnv: string }[]): ScenarioDefinition {
  return { name: 'proxies', tags: [], description: 'x', setup: { databaseProxies }, timeline: [] };
}

describe('ScenarioProxies', () => {
  it('creates each proxy and its URL', async () => {
    const created: string[] = [];
    const proxies = new ScenarioProxies(scenarioWith([{ name: 'rate-limit', urlEnv: 'RATE_LIMIT_DATABASE_URL' }]), fakeEnvironment(created));

    expect(await proxies.create()).toEqual({ RATE_LIMIT_DATABASE_URL: 'postgres://app:secret@127.0.0.1:30001/harness' });
    expect(created).toEqual(['postgres-rate-limit -> 127.0.0.1:5432']);
    expect(Object.keys(proxies.controls)).toEqual(['rate-limit']);
  });

  it('serves the key set behind a proxy', async () => {
    const created: string[] = [];
    const { publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const target = { jwt: { algorithm: 'RS256', publicKey } } as unknown as TargetConfig;
    const scenario = { ...scenarioWith([]), setup: { jwksProxy: { name: 'jwks', urlEnv: 'JWKS_URL' } } };
    const proxies = new ScenarioProxies(scenario, fakeEnvironment(created), target);

    try {
      expect(await proxies.create()).toEqual({ JWKS_URL: 'http://127.0.0.1:30001/jwks.json' });
      expect(created).toHaveLength(1);
      expect(created[0]).toMatch(/^jwks-jwks -> 127\.0\.0\.1:\d+$/);
      const upstream = created[0]?.split(' -> ')[1] ?? '';
      const response = await fetch(`http://${upstream}/jwks.json`);
      const body = (await response.json()) as { keys: { kty: string; alg: string }[] };
      expect(body.keys.map((key) => [key.kty, key.alg])).toEqual([['RSA', 'RS256']]);
      expect(proxies.jwksRequests()).toBe(1);
    } finally {
      await proxies.close();
    }
    expect(proxies.jwksRequests()).toBeNull();
  });

  it('rejects a key set without RS256', async () => {
    const target = { jwt: { algorithm: 'HS256', publicKey: null } } as unknown as TargetConfig;
    const scenario = { ...scenarioWith([]), setup: { jwksProxy: { name: 'jwks', urlEnv: 'JWKS_URL' } } };
    const error = await new ScenarioProxies(scenario, fakeEnvironment([]), target).create().catch((err: unknown) => err);

    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).message).toContain('sets setup.jwksProxy, but the target does not sign RS256 tokens');
  });

  it.each([
    [[{ name: 'Rate Limit', urlEnv: 'X_URL' }], 'has the name "Rate Limit"'],
    [[{ name: 'database', urlEnv: 'X_URL' }], 'has the name "database"'],
    [[{ name: 'a', urlEnv: 'A_URL' }, { name: 'a', urlEnv: 'B_URL' }], 'has the name "a"'],
    [[{ name: 'a', urlEnv: 'A-URL' }], 'entry "a" has urlEnv "A-URL"'],
  ])('rejects bad entries %#', async (entries, message) => {
    const proxies = new ScenarioProxies(scenarioWith(entries), fakeEnvironment([]));
    const error = await proxies.create().catch((err: unknown) => err);

    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('WUC_ERR_SCENARIO_INVALID');
    expect((error as HarnessError).message).toContain(message);
  });
});
