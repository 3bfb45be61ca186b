import type { Logger } from './logger.ts';

/**
 * Runs `close` once on SIGINT/SIGTERM and exits. A second signal, or a close
 * that takes longer than `graceMs`, exits at once.
 */
export function exitOnSignals(logger: Logger, close: () => Promise<void>, graceMs = 10_000): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), graceMs);
    timer.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
