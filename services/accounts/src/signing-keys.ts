import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, type JWTVerifyGetKey, type CryptoKey } from 'jose';
import { ACCESS_TOKEN_ALGORITHM } from '@omurga/shared';
import type { AccountsModels } from './models.ts';

export interface SigningKeys {
  /** the key that signs now: the newest whose `signFrom` has come */
  signer(now?: number): { kid: string; privateKey: CryptoKey };
  /** the published key set (JWKS): every configured key, also those not signing yet */
  jwks: { keys: JWK[] };
  verificationKeys: JWTVerifyGetKey;
}

/** A private Ed25519 JWK, optionally with `signFrom` (ISO time): published at once, signing only from then. */
type ConfiguredKey = JWK & { kid: string; signFrom?: string };

/**
 * Picks the signer: among keys whose `signFrom` has passed (none means "always"),
 * the one with the latest `signFrom`; on a tie the first listed. So a key
 * appended without `signFrom` is only published, and a key with a future
 * `signFrom` is published first and signs later: verifiers that fetched the
 * JWKS in between already know it (JWKS max-age 5 min, verifier cache 10 min).
 */
export function chooseSigner<K extends { signFrom?: string }>(keys: K[], now: number): K {
  let best: { key: K; from: number } | undefined;
  for (const key of keys) {
    const from = key.signFrom ? Date.parse(key.signFrom) : Number.NEGATIVE_INFINITY;
    if (from <= now && (!best || from > best.from)) best = { key, from };
  }
  if (!best) throw new Error('no signing key is active yet: every key has a signFrom in the future');
  return best.key;
}

export function parseConfiguredKeys(json: string): ConfiguredKey[] {
  const parsed = JSON.parse(json) as { keys?: ConfiguredKey[] } | ConfiguredKey;
  const keys = 'keys' in parsed && Array.isArray(parsed.keys) ? parsed.keys : [parsed as ConfiguredKey];
  if (keys.length === 0) throw new Error('ACCOUNTS_SIGNING_JWKS holds no key');
  return keys.map((key, index) => {
    if (key.kty !== 'OKP' || key.crv !== 'Ed25519' || !key.d) throw new Error(`signing key ${index + 1} is not a private Ed25519 JWK`);
    if (key.signFrom !== undefined && Number.isNaN(Date.parse(key.signFrom))) throw new Error(`signing key ${key.kid}: signFrom is not a time`);
    return { ...key, kid: key.kid ?? `env-${index + 1}` };
  });
}

/** The locally generated key of development runs, kept in accounts' own database and shared by all instances. */
async function databaseKey(models: AccountsModels): Promise<ConfiguredKey> {
  const stored = await models.SigningKey.findById('primary').lean();
  if (stored) return { ...(stored.privateJwk as JWK), kid: stored.kid };
  const pair = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  // Two instances starting together: the unique _id lets exactly one insert win.
  await models.SigningKey.updateOne(
    { _id: 'primary' },
    { $setOnInsert: { kid: randomUUID(), privateJwk: await exportJWK(pair.privateKey), publicJwk: await exportJWK(pair.publicKey) } },
    { upsert: true },
  );
  return databaseKey(models);
}

/**
 * The Ed25519 keys of access tokens. Production sets ACCOUNTS_SIGNING_JWKS
 * (`{"keys":[private JWK, ...]}` from a secret store; ACCOUNTS_SIGNING_JWK,
 * one key, still works); otherwise one key is generated into the database.
 */
export async function loadSigningKeys(
  models: AccountsModels,
  fromEnv = process.env.ACCOUNTS_SIGNING_JWKS || process.env.ACCOUNTS_SIGNING_JWK,
): Promise<SigningKeys> {
  const configured = fromEnv ? parseConfiguredKeys(fromEnv) : [await databaseKey(models)];
  const imported = await Promise.all(
    configured.map(async (key) => {
      const { d: _private, signFrom: _from, ...publicJwk } = key;
      return {
        kid: key.kid,
        signFrom: key.signFrom,
        privateKey: (await importJWK(key, ACCESS_TOKEN_ALGORITHM)) as CryptoKey,
        published: { ...publicJwk, kid: key.kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' } as JWK,
      };
    }),
  );
  chooseSigner(imported, Date.now()); // refuses to start when no key may sign yet
  const jwks = { keys: imported.map((k) => k.published) };
  return {
    signer: (now = Date.now()) => chooseSigner(imported, now),
    jwks,
    verificationKeys: createLocalJWKSet(jwks),
  };
}
