import { formatHostPort } from '../environment/host-port.ts';
import { withHostPort } from '../environment/postgres-url-parts.ts';
import { HarnessError } from '../errors.ts';
import type { ProxyControl, StartedEnvironment } from '../model/environment.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';

/** Scenario proxy names: kebab-case, so the Toxiproxy name `postgres-<name>` stays readable. */
const PROXY_NAME = /^[a-z][a-z0-9-]*$/;

/** Environment variable names the target can read. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The `setup.databaseProxies` of one scenario: extra proxies in front of the same Postgres,
 * each reached by the target through its own database URL.
 */
export class ScenarioProxies {
  /** Created proxies by their scenario name. */
  readonly controls: Record<string, ProxyControl> = {};
  readonly #scenario: ScenarioDefinition;
  readonly #environment: StartedEnvironment;

  constructor(scenario: ScenarioDefinition, environment: StartedEnvironment) {
    this.#scenario = scenario;
    this.#environment = environment;
  }

  /**
   * Creates each proxy (Toxiproxy name `postgres-<name>`, replacing a leftover one) without
   * toxics, and returns the variables that point the target at them. Throws
   * WUC_ERR_SCENARIO_INVALID for a bad or repeated name.
   */
  async create(): Promise<Record<string, string>> {
    const { postgres, toxiproxy } = this.#environment;
    const upstream = formatHostPort(postgres.host, postgres.port);
    const env: Record<string, string> = {};
    for (const { name, urlEnv } of this.#scenario.setup?.databaseProxies ?? []) {
      this.#validate(name, urlEnv);
      const proxy = await toxiproxy.createProxy(`postgres-${name}`, upstream);
      await proxy.reset();
      this.controls[name] = proxy;
      env[urlEnv] = withHostPort(postgres.adminUrl, proxy.listenHost, proxy.listenPort);
    }
    return env;
  }

  /** Removes every toxic from the created proxies and enables them. */
  async reset(): Promise<void> {
    for (const proxy of Object.values(this.controls)) await proxy.reset();
  }

  #validate(name: string, urlEnv: string): void {
    const where = `Scenario "${this.#scenario.name}" setup.databaseProxies`;
    if (!PROXY_NAME.test(name) || name === 'database' || this.controls[name] !== undefined) {
      throw new HarnessError(
        'WUC_ERR_SCENARIO_INVALID',
        `${where} has the name ${JSON.stringify(name)}; use a unique kebab-case name other than "database".`,
      );
    }
    if (!ENV_NAME.test(urlEnv)) {
      throw new HarnessError(
        'WUC_ERR_SCENARIO_INVALID',
        `${where} entry "${name}" has urlEnv ${JSON.stringify(urlEnv)}; use an environment variable name such as RATE_LIMIT_DATABASE_URL.`,
      );
    }
  }
}
