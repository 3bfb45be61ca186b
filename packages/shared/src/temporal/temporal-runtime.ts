import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { PlatformConfig } from '../config.ts';
import type { Logger } from '../logger.ts';

const TEMPORAL_LEVELS: Record<PlatformConfig['logLevel'], LogLevel> = {
  fatal: 'ERROR',
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
  trace: 'TRACE',
  silent: 'ERROR',
};

const PINO_METHODS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The process's Temporal runtime: workflow, activity and SDK logs go to the
 * process's own logger at LOG_LEVEL (workflow logs below WARN used to be
 * dropped); the SDK core's own chatter stays at WARN unless debugging. With
 * `metricsAddress`, the SDK's metrics are served in Prometheus format there.
 * Installed once per process: later calls (several services in one test
 * process) keep the first.
 */
export function installTemporalRuntime(config: PlatformConfig, logger: Logger, metricsAddress?: string): void {
  const level = TEMPORAL_LEVELS[config.logLevel];
  const coreLevel: LogLevel = level === 'DEBUG' || level === 'TRACE' ? level : 'WARN';
  try {
    Runtime.install({
      logger: new DefaultLogger(level, ({ level: entryLevel, message, meta }) => logger[PINO_METHODS[entryLevel]]({ ...meta }, message)),
      telemetryOptions: {
        logging: { filter: { core: coreLevel, other: coreLevel }, forward: {} },
        ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {}),
      },
    });
  } catch {
    // already installed in this process
  }
}
