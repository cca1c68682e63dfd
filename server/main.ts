// Entry of the reference server: `npm run server`. Reads the environment, starts the server
// and shuts it down on SIGTERM or SIGINT. Exit codes: 0 clean shutdown, 1 failure or shutdown
// past SHUTDOWN_GRACE_MS, 2 invalid configuration.
import { loadConfig, type ServerConfig } from './config.ts';
import { ConfigError } from './errors.ts';
import { createLogger } from './logger.ts';
import { handleShutdownSignals, installProcessHandlers } from './process-handlers.ts';
import { ServerMetrics } from './server-metrics.ts';
import { startServer, type RunningServer } from './server.ts';

const exit: (code: number) => never = (code) => process.exit(code);

function readConfig(): ServerConfig {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`ws-upgrade-chaos server: ${err.message}\n`);
    return exit(2);
  }
}

const config = readConfig();
const logger = createLogger(config.logLevel);
const metrics = new ServerMetrics();
installProcessHandlers(process, { logger, metrics, exit });

let server: RunningServer;
try {
  server = await startServer(config, { logger, metrics });
} catch (err) {
  logger.fatal({ err }, 'server failed to start');
  exit(1);
}

handleShutdownSignals(process, { close: () => server.close(), logger, graceMs: config.shutdownGraceMs, exit });
