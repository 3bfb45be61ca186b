import type { IncomingHttpHeaders } from 'node:http';
import { unauthenticated } from '../errors.ts';
import { localeFromAcceptLanguage, type Locale } from '../locale.ts';
import { ANONYMOUS, principalFromClaims, type Principal } from './principal.ts';
import type { TokenVerifier } from './verifier.ts';

/** What every resolver knows about the caller. */
export interface RequestContext {
  locale: Locale;
  principal: Principal;
  /** the caller's address as the gateway saw it */
  ip: string | undefined;
  userAgent: string | undefined;
  /**
   * The caller's verified `Authorization` header, for a subgraph that reads
   * another subgraph on the caller's behalf (so it sees only what the caller
   * may). Undefined for anonymous callers.
   */
  authorization?: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = header(headers, 'authorization');
  if (!value) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match ? match[1] : '';
}

/**
 * Builds the request context from forwarded headers. A request without a token
 * is anonymous; a request with a token that does not verify is rejected as a
 * whole with UNAUTHENTICATED, so it can never reach data.
 */
export async function buildRequestContext(
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
  verify: TokenVerifier,
): Promise<RequestContext> {
  const locale = localeFromAcceptLanguage(header(headers, 'accept-language'));
  const forwardedFor = header(headers, 'x-forwarded-for')?.split(',')[0]?.trim();
  const base = { locale, ip: forwardedFor || remoteAddress, userAgent: header(headers, 'user-agent') };
  const token = bearerToken(headers);
  if (token === undefined) return { ...base, principal: ANONYMOUS };
  let principal: Principal;
  try {
    principal = principalFromClaims(await verify(token));
  } catch {
    throw unauthenticated(locale, 'INVALID_TOKEN');
  }
  return { ...base, principal, authorization: header(headers, 'authorization') };
}
