import type { StartedTestContainer } from 'testcontainers';

import { ToxiproxyApiError } from '../errors.ts';
import type { StartedToxiproxy } from '../model/environment.ts';
import type { BackendOutcome } from './backend-choice.ts';
import { detectContainerRuntime } from './container-runtime.ts';
import { describeError } from './describe-error.ts';
import { formatHostPort, isLoopbackHost, splitHostPort } from './host-port.ts';
import { createProxyControl } from './proxy-control.ts';
import { runOnce } from './run-once.ts';
import { ToxiproxyControl } from './toxiproxy-control.ts';

export const TOXIPROXY_IMAGE = 'ghcr.io/shopify/toxiproxy:2.12.0';
const API_PORT = 8474;
/** Container ports published for proxies; each proxy name keeps the port it first got. */
const PROXY_PORTS = Array.from({ length: 16 }, (_, index) => 8666 + index);
const STARTUP_TIMEOUT_MS = 120_000;
/** Name that testcontainers' SSH port forwarder gives the host inside containers. */
const FORWARDED_HOST = 'host.testcontainers.internal';

/**
 * Starts Toxiproxy in a container through testcontainers when a container engine responds.
 * Each proxy listens on 0.0.0.0:<published port> inside and is reached at the mapped host port.
 * NOTE: written from the testcontainers 11 documentation; this path has not run on a machine
 * with a container engine.
 */
export async function startDockerToxiproxy(): Promise<BackendOutcome<StartedToxiproxy>> {
  const runtime = await detectContainerRuntime();
  if (!runtime.available) return { failed: runtime.reason };

  let container: StartedTestContainer;
  try {
    container = await startContainer();
  } catch (error) {
    return { failed: `${TOXIPROXY_IMAGE} did not start: ${describeError(error)}`, cause: error };
  }
  const stop = runOnce(async () => {
    await container.stop();
  });

  const apiAddress = formatHostPort(container.getHost(), container.getMappedPort(API_PORT));
  const api = new ToxiproxyControl(`http://${apiAddress}`);
  let version: string;
  try {
    version = await api.version();
  } catch (error) {
    await stop();
    const failed = `${TOXIPROXY_IMAGE} started but did not respond to GET /version: ${describeError(error)}`;
    return { failed, cause: error };
  }

  const portsByName = new Map<string, number>();
  const createProxy: StartedToxiproxy['createProxy'] = async (name, upstream) => {
    const containerPort = portsByName.get(name) ?? pickFreePort(portsByName);
    const reachableUpstream = await exposeLoopbackUpstream(upstream);
    await api.deleteProxyIfPresent(name);
    await api.createProxy({ name, listen: `0.0.0.0:${containerPort}`, upstream: reachableUpstream });
    portsByName.set(name, containerPort);
    const listenPort = container.getMappedPort(containerPort);
    return createProxyControl({ api, name, listenHost: container.getHost(), listenPort, hasStats: false });
  };

  return {
    started: { kind: 'docker', apiUrl: api.apiUrl, version, createProxy, stop },
    reason: `a container runtime responded; started ${TOXIPROXY_IMAGE}`,
  };
}

async function startContainer(): Promise<StartedTestContainer> {
  const { GenericContainer, TestContainers, Wait } = await import('testcontainers');
  // The SSH port forwarder must run before Toxiproxy starts: testcontainers adds the
  // host.testcontainers.internal entry only to containers created while it runs.
  await TestContainers.exposeHostPorts();
  return new GenericContainer(TOXIPROXY_IMAGE)
    .withCommand(['-host=0.0.0.0'])
    .withExposedPorts(API_PORT, ...PROXY_PORTS)
    .withWaitStrategy(Wait.forHttp('/version', API_PORT))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
}

/**
 * Returns an upstream address that works from inside the container.
 * NOTE: the container's 127.0.0.1 is its own, and Docker's `host-gateway` alias
 * (host.docker.internal) reaches the host's bridge address, where a Postgres bound to
 * 127.0.0.1 (the embedded backend) does not listen. testcontainers' SSH port forwarder
 * reaches the host's loopback instead, so a loopback upstream is forwarded through it.
 */
async function exposeLoopbackUpstream(upstream: string): Promise<string> {
  const { host, port } = splitHostPort(upstream);
  if (!isLoopbackHost(host)) return upstream;
  const { TestContainers } = await import('testcontainers');
  await TestContainers.exposeHostPorts(port);
  return `${FORWARDED_HOST}:${port}`;
}

function pickFreePort(portsByName: Map<string, number>): number {
  const used = new Set(portsByName.values());
  const port = PROXY_PORTS.find((candidate) => !used.has(candidate));
  if (port === undefined) {
    throw new ToxiproxyApiError(
      `every proxy port the Toxiproxy container publishes (${PROXY_PORTS.join(', ')}) is taken; ` +
        'create fewer proxies',
      0,
      null,
    );
  }
  return port;
}
