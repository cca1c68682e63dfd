import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import type { ProxyControl, StartedEnvironment } from '../model/environment.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { ScenarioProxies } from './scenario-proxies.ts';

/** An environment whose Toxiproxy records each created proxy and listens on port 30000 + n. */
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
