import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, type JWTVerifyGetKey, type CryptoKey } from 'jose';
import { ACCESS_TOKEN_ALGORITHM } from '@omurga/shared';
import type { AccountsModels } from './models.ts';

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  /** the published key set (JWKS) */
  jwks: { keys: JWK[] };
  verificationKeys: JWTVerifyGetKey;
}

/**
 * The Ed25519 key that signs access tokens. ACCOUNTS_SIGNING_JWK (a private
 * JWK as JSON, from a secret store) wins in production; otherwise the key is
 * generated once and kept in accounts' own database, shared by all instances.
 */
export async function loadSigningKeys(models: AccountsModels, fromEnv = process.env.ACCOUNTS_SIGNING_JWK): Promise<SigningKeys> {
  let privateJwk: JWK;
  let kid: string;
  if (fromEnv) {
    privateJwk = JSON.parse(fromEnv) as JWK;
    kid = privateJwk.kid ?? 'env';
  } else {
    const stored = await models.SigningKey.findById('primary').lean();
    if (stored) {
      privateJwk = stored.privateJwk as JWK;
      kid = stored.kid;
    } else {
      const pair = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
      kid = randomUUID();
      privateJwk = await exportJWK(pair.privateKey);
      const publicJwk = await exportJWK(pair.publicKey);
      // Two instances starting together: the unique _id lets exactly one insert win.
      await models.SigningKey.updateOne(
        { _id: 'primary' },
        { $setOnInsert: { kid, privateJwk, publicJwk } },
        { upsert: true },
      );
      return loadSigningKeys(models, fromEnv);
    }
  }
  const { d: _private, ...publicJwk } = privateJwk;
  const published: JWK = { ...publicJwk, kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' };
  const jwks = { keys: [published] };
  return {
    kid,
    privateKey: (await importJWK(privateJwk, ACCESS_TOKEN_ALGORITHM)) as CryptoKey,
    jwks,
    verificationKeys: createLocalJWKSet(jwks),
  };
}
