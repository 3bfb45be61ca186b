import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type CryptoKey, type KeyObject } from 'jose';
import { accessTokenClaimsSchema, type AccessTokenClaims } from './claims.ts';

export const ACCESS_TOKEN_ALGORITHM = 'EdDSA';

export type TokenVerifier = (token: string) => Promise<AccessTokenClaims>;

export interface VerifierOptions {
  issuer: string;
  audience: string;
}

/** How many verified tokens a process remembers (a few hundred bytes each). */
const REMEMBERED_TOKENS = 10_000;

/**
 * Verifies the signature and claims once per token, then answers from memory
 * until the token expires: the gateway and every subgraph a query reaches
 * verify the same token, and the gateway twice (rate limits, context). A
 * remembered token outlives neither its expiry nor a restart; tokens are short-lived.
 */
function verifierFor(key: JWTVerifyGetKey | CryptoKey | KeyObject, options: VerifierOptions): TokenVerifier {
  const remembered = new Map<string, { claims: AccessTokenClaims; expiresAtMs: number }>();
  return async (token) => {
    const known = remembered.get(token);
    if (known && known.expiresAtMs > Date.now()) return known.claims;
    if (known) remembered.delete(token);
    const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      clockTolerance: 5,
    });
    const claims = accessTokenClaimsSchema.parse(payload);
    if (typeof payload.exp === 'number') {
      if (remembered.size >= REMEMBERED_TOKENS) remembered.delete(remembered.keys().next().value!);
      remembered.set(token, { claims, expiresAtMs: payload.exp * 1000 });
    }
    return claims;
  };
}

/** Verifies tokens against the JWKS that accounts publishes (keys cached, refetched on an unknown kid). */
export function createRemoteTokenVerifier(jwksUrl: string, options: VerifierOptions): TokenVerifier {
  return verifierFor(createRemoteJWKSet(new URL(jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 }), options);
}

/** Verifies tokens with a key held in process (accounts verifies its own tokens this way). */
export function createLocalTokenVerifier(getKey: JWTVerifyGetKey, options: VerifierOptions): TokenVerifier {
  return verifierFor(getKey, options);
}
