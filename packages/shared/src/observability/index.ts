export * from './http-observability.ts';
export * from './metrics.ts';
export * from './redaction.ts';
export * from './request-scope.ts';
export * from './tracing.ts';
export * from './mongoose-tracing.ts';
