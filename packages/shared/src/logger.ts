import { pino, type Logger, type LoggerOptions } from 'pino';
import { REDACTED_LOG_PATHS } from './observability/redaction.ts';
import { requestLogFields } from './observability/request-scope.ts';

export type { Logger };

/** Every line names its service and carries the current request id; personal data is redacted. */
export function loggerOptions(name: string, level: string): LoggerOptions {
  return { name, level, base: { service: name }, mixin: requestLogFields, redact: REDACTED_LOG_PATHS };
}

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(loggerOptions(name, level));
}
