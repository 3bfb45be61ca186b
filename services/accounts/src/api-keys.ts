import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { AccountsModels, ApiKeyDoc } from './models.ts';
import { hashSecret, randomSecret, sameHash } from './secrets.ts';

/** ACC-9: what a partner key may be used for. */
export const PARTNER_SCOPES = ['customers:read', 'customers:write', 'webhooks:manage'] as const;
export type PartnerScope = (typeof PARTNER_SCOPES)[number];

const KEY_PATTERN = /^omk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** Creates a key and returns it in full; only its hash is stored, so this is the one time it is seen. */
export async function createApiKey(models: AccountsModels, input: { organizationId: Types.ObjectId; name: string; scopes: string[]; createdBy: string }): Promise<{ apiKey: string; key: ApiKeyDoc }> {
  const prefix = randomBytes(8).toString('hex');
  const secret = randomSecret();
  const key = await models.ApiKey.create({ ...input, prefix, secretHash: hashSecret(secret) });
  return { apiKey: `omk_${prefix}_${secret}`, key: key.toObject() };
}

/** The live key a presented secret belongs to (recording its use), or null. */
export async function authenticateApiKey(models: AccountsModels, presented: string): Promise<ApiKeyDoc | null> {
  const match = KEY_PATTERN.exec(presented.trim());
  const prefix = match?.[1];
  const secret = match?.[2];
  const key = prefix ? await models.ApiKey.findOne({ prefix }).lean<ApiKeyDoc>() : null;
  // Hash even without a key, so unknown prefixes cost the same time.
  const hash = hashSecret(secret ?? presented);
  if (!key || !sameHash(key.secretHash, hash) || key.revokedAt) return null;
  await models.ApiKey.updateOne({ _id: key._id }, { $set: { lastUsedAt: new Date() } });
  return key;
}
