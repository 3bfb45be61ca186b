import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Express } from 'express';
import type { Logger } from '../logger.ts';
import { httpRequestDuration, metricsRoute } from './metrics.ts';
import { requestIdFrom, requestScope } from './request-scope.ts';
import { platformTracer } from './tracing.ts';

/** Probes and scrapes are logged at debug level only, or they would drown the access log. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const KNOWN_ROUTES = /^\/(graphql|healthz|readyz|metrics|\.well-known\/jwks\.json)$/;

/**
 * Per request: an X-Request-Id (the caller's, or a new one) in the response
 * headers and in every log line written meanwhile, a server span continuing
 * the caller's W3C trace, a latency sample, and one access log line.
 * Also serves GET /metrics (Prometheus).
 */
export function observeHttp(app: Express, options: { service: string; logger: Logger; extraMetrics?: () => Promise<string> }): void {
  const { service, logger } = options;
  // The access line holds no personal data (ids, method, path, status, timing,
  // operation name), so it skips redaction, which cost as much as the rest of the line.
  const accessLog = logger.child({}, { redact: { paths: [] } });
  app.use((req, res, next) => {
    const scope = { requestId: requestIdFrom(req.get('x-request-id')) };
    const path = req.path; // express rewrites it under a mounted router (/graphql -> /)
    res.setHeader('x-request-id', scope.requestId);
    const parent = propagation.extract(context.active(), req.headers);
    const span = platformTracer().startSpan(`${req.method} ${path}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': path } }, parent);
    const started = performance.now();
    res.once('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = KNOWN_ROUTES.test(path) ? path : 'other'; // bounded label set (file routes carry ids)
      httpRequestDuration.observe({ service, method: req.method, route, status: String(res.statusCode) }, seconds);
      const operation = (scope as { operationName?: string }).operationName;
      if (operation) span.updateName(`${req.method} ${path} ${operation}`);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      const line = { requestId: scope.requestId, method: req.method, path, status: res.statusCode, durationMs: Math.round(seconds * 1000), ...(operation ? { operation } : {}) };
      if (QUIET_PATHS.has(path)) accessLog.debug(line, 'request');
      else accessLog.info(line, 'request');
    });
    requestScope.run(scope, () => context.with(trace.setSpan(parent, span), next));
  });
  app.get('/metrics', metricsRoute(options.extraMetrics));
}
