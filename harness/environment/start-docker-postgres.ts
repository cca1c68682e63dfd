import { randomBytes } from 'node:crypto';

import type { StartedTestContainer } from 'testcontainers';

import type { StartedPostgres } from '../model/environment.ts';
import type { BackendOutcome } from './backend-choice.ts';
import { detectContainerRuntime } from './container-runtime.ts';
import { describeError } from './describe-error.ts';
import { probePostgres } from './probe-postgres.ts';
import { buildPostgresUrl } from './postgres-url-parts.ts';
import { runOnce } from './run-once.ts';

export const POSTGRES_IMAGE = 'postgres:18-alpine';
const POSTGRES_PORT = 5432;
const USER = 'postgres';
const DATABASE = 'postgres';
/** Covers an image pull on a slow link as well as the image's init run. */
const STARTUP_TIMEOUT_MS = 120_000;
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Starts `postgres:18-alpine` through testcontainers when a container engine responds.
 * NOTE: written from the testcontainers 11 documentation; this path has not run on a machine
 * with a container engine.
 */
export async function startDockerPostgres(): Promise<BackendOutcome<StartedPostgres>> {
  const runtime = await detectContainerRuntime();
  if (!runtime.available) return { failed: runtime.reason };

  const password = randomBytes(18).toString('base64url');
  let container: StartedTestContainer;
  try {
    container = await startContainer(password);
  } catch (error) {
    return { failed: `${POSTGRES_IMAGE} did not start: ${describeError(error)}`, cause: error };
  }

  const parts = {
    host: container.getHost(),
    port: container.getMappedPort(POSTGRES_PORT),
    user: USER,
    password,
    database: DATABASE,
  };
  const adminUrl = buildPostgresUrl(parts);
  const stop = runOnce(async () => {
    await container.stop();
  });

  let version: string;
  try {
    version = await probePostgres(adminUrl, PROBE_TIMEOUT_MS);
  } catch (error) {
    await stop();
    const failed = `${POSTGRES_IMAGE} started but did not respond to SELECT 1: ${describeError(error)}`;
    return { failed, cause: error };
  }
  return {
    started: { kind: 'docker', adminUrl, ...parts, version, stop },
    reason: `a container runtime responded; started ${POSTGRES_IMAGE}`,
  };
}

async function startContainer(password: string): Promise<StartedTestContainer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  return new GenericContainer(POSTGRES_IMAGE)
    .withEnvironment({ POSTGRES_USER: USER, POSTGRES_PASSWORD: password, POSTGRES_DB: DATABASE })
    .withExposedPorts(POSTGRES_PORT)
    // The image's entrypoint first runs a temporary server for its init scripts, then the real
    // one, so the ready line appears twice before the server accepts outside connections.
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
}
