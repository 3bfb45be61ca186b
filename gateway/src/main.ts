import { createLogger, exitOnSignals, loadConfig, refuseDevelopmentSecrets, startTracing } from '@omurga/shared';
import { startGateway } from './gateway.ts';

refuseDevelopmentSecrets('gateway');
startTracing('gateway');
const config = loadConfig();
const logger = createLogger('gateway', config.logLevel);
try {
  const gateway = await startGateway(config);
  exitOnSignals(logger, () => gateway.close());
} catch (error) {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
}
