import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { TraceFlags, trace } from '@opentelemetry/api';

/** What every log line written while serving one request carries. */
export interface RequestScope {
  requestId: string;
  /** the GraphQL operation, once known (for the access log and metrics) */
  operationName?: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

/** A caller's X-Request-Id is kept when it is a plain token; anything else gets a fresh one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(header: string | undefined): string {
  return header && REQUEST_ID.test(header) ? header : randomUUID();
}

export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

/** pino mixin: the request id and, when tracing is on, the trace id of the current request. */
export function requestLogFields(): Record<string, string> {
  const fields: Record<string, string> = {};
  const requestId = currentRequestId();
  if (requestId) fields.requestId = requestId;
  const span = trace.getActiveSpan()?.spanContext();
  if (span && span.traceFlags & TraceFlags.SAMPLED) fields.traceId = span.traceId;
  return fields;
}
