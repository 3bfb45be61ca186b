import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type CryptoKey, type KeyObject } from 'jose';
import { accessTokenClaimsSchema, type AccessTokenClaims } from './claims.ts';

export const ACCESS_TOKEN_ALGORITHM = 'EdDSA';

export type TokenVerifier = (token: string) => Promise<AccessTokenClaims>;

export interface VerifierOptions {
  issuer: string;
  audience: string;
}

function verifierFor(key: JWTVerifyGetKey | CryptoKey | KeyObject, options: VerifierOptions): TokenVerifier {
  return async (token) => {
    const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      clockTolerance: 5,
    });
    return accessTokenClaimsSchema.parse(payload);
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
