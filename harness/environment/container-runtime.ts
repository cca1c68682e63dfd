import { existsSync } from 'node:fs';

/** Whether a Docker-compatible engine responds, and if not, why. */
export type ContainerRuntimeStatus = { available: true } | { available: false; reason: string };

const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * Asks testcontainers' own runtime lookup (Docker host variables, its config file, the Unix
 * sockets) whether a container engine responds. testcontainers' error hides why each strategy
 * failed, so the reason adds the two facts a user checks first.
 * NOTE: importing testcontainers loads `signal-exit` (through `proper-lockfile`), which adds
 * SIGINT, SIGTERM and SIGHUP listeners. They act only when no other listener exists, so they
 * keep Node's default behaviour and are left in place.
 */
export async function detectContainerRuntime(): Promise<ContainerRuntimeStatus> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
    return { available: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // testcontainers reads process.env itself, so the facts come from there too.
    const dockerHost = process.env['DOCKER_HOST'];
    const isHostSet = dockerHost !== undefined && dockerHost !== '';
    const hostFact = isHostSet ? `DOCKER_HOST is ${dockerHost}` : 'DOCKER_HOST is not set';
    const socketFact = `${DEFAULT_SOCKET} ${existsSync(DEFAULT_SOCKET) ? 'exists' : 'does not exist'}`;
    return {
      available: false,
      reason:
        `no container runtime responded (testcontainers: ${message}; ${hostFact}, ${socketFact}); ` +
        'start a Docker engine or set DOCKER_HOST',
    };
  }
}
