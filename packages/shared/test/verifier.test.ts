// Issue 16: a verified token is remembered until it expires, never past it,
// and a token that differs by one character is verified on its own.
import { SignJWT, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_ALGORITHM, createLocalTokenVerifier } from '../src/auth/verifier.ts';

const OPTIONS = { issuer: 'omurga-accounts', audience: 'omurga' };

async function setUp() {
  const { privateKey, publicKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
  let keyLookups = 0;
  const verify = createLocalTokenVerifier(async () => {
    keyLookups++;
    return publicKey;
  }, OPTIONS);
  const sign = (expiresInSeconds: number) =>
    new SignJWT({ kind: 'user', orgs: [] })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM })
      .setSubject('user-1')
      .setIssuer(OPTIONS.issuer)
      .setAudience(OPTIONS.audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
      .sign(privateKey);
  return { verify, sign, keyLookups: () => keyLookups };
}

describe('the token verifier', () => {
  it('verifies a token once and then answers from memory', async () => {
    const { verify, sign, keyLookups } = await setUp();
    const token = await sign(600);
    expect((await verify(token)).sub).toBe('user-1');
    expect((await verify(token)).sub).toBe('user-1');
    expect(keyLookups()).toBe(1);
  });

  it('still refuses an expired token and a tampered one', async () => {
    const { verify, sign } = await setUp();
    await expect(verify(await sign(-60))).rejects.toThrow();
    const token = await sign(600);
    await verify(token);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verify(tampered)).rejects.toThrow();
  });
});
