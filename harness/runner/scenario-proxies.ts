import { formatHostPort } from '../environment/host-port.ts';
import { withHostPort } from '../environment/postgres-url-parts.ts';
import { HarnessError } from '../errors.ts';
import type { ProxyControl, StartedEnvironment } from '../model/environment.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import type { TargetConfig } from '../model/target-config.ts';
import { JWKS_PATH, startJwksServer, type JwksServer } from './jwks-server.ts';

/** Scenario proxy names: kebab-case, so the Toxiproxy name `postgres-<name>` stays readable. */
const PROXY_NAME = /^[a-z][a-z0-9-]*$/;

/** Environment variable names the target can read. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The extra proxies of one scenario: `setup.databaseProxies` in front of the same Postgres,
 * each reached by the target through its own database URL, and `setup.jwksProxy` in front of
 * a key set server the harness starts.
 */
export class ScenarioProxies {
  /** Created proxies by their scenario name. */
  readonly controls: Record<string, ProxyControl> = {};
  readonly #scenario: ScenarioDefinition;
  readonly #environment: StartedEnvironment;
  readonly #target: TargetConfig | null;
  #jwksServer: JwksServer | null = null;

  /** `target` is the config the scenario runs with; `setup.jwksProxy` serves its public key. */
  constructor(scenario: ScenarioDefinition, environment: StartedEnvironment, target: TargetConfig | null = null) {
    this.#scenario = scenario;
    this.#environment = environment;
    this.#target = target;
  }

  /**
   * Creates each proxy without toxics (Toxiproxy names `postgres-<name>` and `jwks-<name>`,
   * replacing leftover ones) and returns the variables that point the target at them. Throws
   * WUC_ERR_SCENARIO_INVALID for a bad or repeated name, or a key set without an RSA key. On
   * failure, what was started is stopped before the error is rethrown.
   */
  async create(): Promise<Record<string, string>> {
    try {
      return { ...(await this.#createDatabaseProxies()), ...(await this.#createJwksProxy()) };
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** Removes every toxic from the created proxies and enables them. */
  async reset(): Promise<void> {
    for (const proxy of Object.values(this.controls)) await proxy.reset();
  }

  /** Resets the proxies and stops the key set server, if one runs. */
  async close(): Promise<void> {
    try {
      await this.reset();
    } finally {
      const server = this.#jwksServer;
      this.#jwksServer = null;
      await server?.stop();
    }
  }

  /** Key set requests the target made so far; null without `setup.jwksProxy`. */
  jwksRequests(): number | null {
    return this.#jwksServer?.requests() ?? null;
  }

  async #createDatabaseProxies(): Promise<Record<string, string>> {
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

  async #createJwksProxy(): Promise<Record<string, string>> {
    const entry = this.#scenario.setup?.jwksProxy;
    if (entry === undefined) return {};
    this.#validate(entry.name, entry.urlEnv);
    const jwt = this.#target?.jwt;
    if (jwt === undefined || jwt.algorithm !== 'RS256' || jwt.publicKey === null) {
      throw new HarnessError(
        'WUC_ERR_SCENARIO_INVALID',
        `Scenario "${this.#scenario.name}" sets setup.jwksProxy, but the target does not sign RS256 tokens ` +
          'with a public key in jwt.publicKey; set setup.jwtAlgorithm to RS256 and give the target an RSA key pair',
      );
    }
    this.#jwksServer = await startJwksServer(jwt.publicKey);
    const upstream = formatHostPort(this.#jwksServer.host, this.#jwksServer.port);
    const proxy = await this.#environment.toxiproxy.createProxy(`jwks-${entry.name}`, upstream);
    await proxy.reset();
    this.controls[entry.name] = proxy;
    return { [entry.urlEnv]: `http://${formatHostPort(proxy.listenHost, proxy.listenPort)}${JWKS_PATH}` };
  }

  #validate(name: string, urlEnv: string): void {
    const where = `Scenario "${this.#scenario.name}" setup.databaseProxies or setup.jwksProxy`;
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
