import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { EdgeErrorCode, sendEdgeError } from './json-errors.ts';
import { DEV_GATEWAY_SHARED_SECRET, isProduction } from './production.ts';

/** The header the gateway authenticates itself to the subgraphs with. */
export const GATEWAY_SECRET_HEADER = 'x-omurga-gateway-secret';

export const gatewaySharedSecret = (env: NodeJS.ProcessEnv = process.env) => env.GATEWAY_SHARED_SECRET || DEV_GATEWAY_SHARED_SECRET;

/**
 * Express's `trust proxy` for the gateway: X-Forwarded-For is believed only
 * from these addresses (TRUSTED_PROXIES: comma-separated IPs, CIDRs or
 * express's names such as `loopback`). Local runs and tests trust loopback,
 * so the e2e suite can play several clients; production trusts none unless told.
 */
export function trustedProxies(env: NodeJS.ProcessEnv = process.env): string[] | false {
  const configured = env.TRUSTED_PROXIES ?? (isProduction(env) ? '' : 'loopback');
  const list = configured.split(',').map((s) => s.trim()).filter(Boolean);
  return list.length ? list : false;
}

export function isFromGateway(headers: IncomingHttpHeaders, secret: string): boolean {
  const presented = headers[GATEWAY_SECRET_HEADER];
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A subgraph takes the client IP (X-Forwarded-For) only from the gateway,
 * proven by the shared secret; from anyone else the header is dropped. In
 * production nobody else may call /graphql at all, so `_service` and
 * `_entities` are closed to the public.
 */
export function subgraphCallerCheck(env: NodeJS.ProcessEnv = process.env): RequestHandler {
  const secret = gatewaySharedSecret(env);
  const closed = isProduction(env);
  return (req, res, next) => {
    const fromGateway = isFromGateway(req.headers, secret);
    delete req.headers[GATEWAY_SECRET_HEADER];
    if (!fromGateway) {
      if (closed) return sendEdgeError(res, 403, EdgeErrorCode.FORBIDDEN, 'Subgraphs answer the gateway only.');
      delete req.headers['x-forwarded-for'];
    }
    next();
  };
}

/** Headers for a platform-internal call to a subgraph's /graphql (the gateway, or one subgraph reading another). */
export const internalCallHeaders = (env: NodeJS.ProcessEnv = process.env) => ({ [GATEWAY_SECRET_HEADER]: gatewaySharedSecret(env) });
