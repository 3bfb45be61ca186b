import { exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@omurga/shared';
import type { AccountsModels } from '../../src/models.ts';
import { loadSigningKeys, parseConfiguredKeys } from '../../src/signing-keys.ts';
import { issueAccessToken } from '../../src/tokens.ts';

const privateJwk = async (kid: string) => ({ ...(await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey)), kid });
const noDatabase = {} as AccountsModels;
const config = loadConfig({});

describe('signing-key rotation (issue 13)', () => {
  it('publishes a new key before it signs, then signs with it from signFrom on', async () => {
    const signFrom = new Date(Date.now() + 15 * 60_000);
    const keys = await loadSigningKeys(noDatabase, JSON.stringify({ keys: [await privateJwk('old'), { ...(await privateJwk('new')), signFrom: signFrom.toISOString() }] }));
    expect(keys.jwks.keys.map((k) => k.kid)).toEqual(['old', 'new']);
    expect(keys.jwks.keys.every((k) => k.d === undefined && !('signFrom' in k))).toBe(true);
    expect(keys.signer().kid).toBe('old');
    expect(keys.signer(signFrom.getTime()).kid).toBe('new');
    // A token from either key verifies against the published set.
    const token = await issueAccessToken(keys, config, { sub: 'u1', kind: 'user', sid: 's1' } as never);
    const { protectedHeader } = await jwtVerify(token.accessToken, keys.verificationKeys, { issuer: config.auth.issuer, audience: config.auth.audience });
    expect(protectedHeader.kid).toBe('old');
  });

  it('keeps the first listed key signing when a new one is appended without signFrom', async () => {
    const keys = await loadSigningKeys(noDatabase, JSON.stringify({ keys: [await privateJwk('current'), await privateJwk('next')] }));
    expect(keys.signer(Date.now() + 365 * 24 * 3_600_000).kid).toBe('current');
  });

  it('refuses key sets that cannot sign', async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    await expect(loadSigningKeys(noDatabase, JSON.stringify({ keys: [{ ...(await privateJwk('later')), signFrom: future }] }))).rejects.toThrow(/no signing key is active/);
    const { d: _d, ...publicOnly } = await privateJwk('public');
    expect(() => parseConfiguredKeys(JSON.stringify({ keys: [publicOnly] }))).toThrow(/not a private Ed25519 JWK/);
    expect(() => parseConfiguredKeys(JSON.stringify({ keys: [] }))).toThrow(/no key/);
  });
});
