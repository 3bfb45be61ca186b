import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN_ALGORITHM, type AccessTokenClaims, type PlatformConfig } from '@omurga/shared';
import type { SigningKeys } from './signing-keys.ts';

export interface IssuedToken {
  accessToken: string;
  expiresAt: Date;
}

export async function issueAccessToken(
  keys: SigningKeys,
  config: PlatformConfig,
  claims: Omit<AccessTokenClaims, 'orgs' | 'opr' | 'scp'> & Partial<Pick<AccessTokenClaims, 'orgs' | 'opr' | 'scp'>>,
): Promise<IssuedToken> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + config.auth.accessTokenTtlSeconds;
  const { sub, ...rest } = claims;
  const signer = keys.signer(now * 1000);
  const accessToken = await new SignJWT({ ...rest })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: signer.kid, typ: 'at+jwt' })
    .setIssuer(config.auth.issuer)
    .setAudience(config.auth.audience)
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .setJti(randomUUID())
    .sign(signer.privateKey);
  return { accessToken, expiresAt: new Date(exp * 1000) };
}
