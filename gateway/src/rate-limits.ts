import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { EdgeErrorCode, bearerToken, guardedRequest, sendEdgeError, type RequestLimits, type TokenVerifier } from '@omurga/shared';

/**
 * Per-IP and per-principal request rates, plus a tighter per-IP budget for the
 * sensitive public mutations (one point per aliased call). Counters live in
 * this gateway's memory: with several gateway instances each enforces its own
 * share (the accounts throttles behind them are shared through the database).
 */
export function gatewayRateLimits(rates: RequestLimits['rates'], verify: TokenVerifier): RequestHandler {
  const perIp = new RateLimiterMemory({ keyPrefix: 'ip', points: rates.ipPerMinute, duration: 60 });
  const perPrincipal = new RateLimiterMemory({ keyPrefix: 'principal', points: rates.principalPerMinute, duration: 60 });
  const sensitivePerIp = new RateLimiterMemory({ keyPrefix: 'sensitive', points: rates.sensitivePerIpPerMinute, duration: 60 });

  const principalKey = async (header: string | undefined) => {
    const token = bearerToken({ authorization: header });
    if (!token) return undefined;
    try {
      const claims = await verify(token);
      return `${String(claims.kind ?? 'user')}:${String(claims.sub)}`;
    } catch {
      return undefined; // the request is refused with UNAUTHENTICATED further on
    }
  };

  return async (req, res, next) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    try {
      await perIp.consume(ip);
      const principal = await principalKey(req.headers.authorization);
      if (principal) await perPrincipal.consume(principal);
      const { sensitiveCalls } = guardedRequest(res);
      if (sensitiveCalls > 0) await sensitivePerIp.consume(ip, sensitiveCalls);
      next();
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return next(rejection);
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      sendEdgeError(res, 429, EdgeErrorCode.RATE_LIMITED, `Too many requests; try again in ${seconds} s.`, { 'retry-after': String(seconds) });
    }
  };
}
