import { isDuplicateKeyError } from '@omurga/shared';
import type { Types } from 'mongoose';
import { normalizePhone } from './turkish-identity.ts';
import type { AccountsModels, LICENSED_RESOURCE_KINDS } from './models.ts';

export type LicensedResourceKind = (typeof LICENSED_RESOURCE_KINDS)[number];

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The canonical form of a resource (lower-case host, E.164 phone), or null when it is not valid. */
export function normalizeResource(kind: LicensedResourceKind, value: string): string | null {
  const trimmed = value.trim();
  switch (kind) {
    case 'DOMAIN': {
      const host = trimmed.toLowerCase().replace(/\.$/, '');
      return HOSTNAME.test(host) ? host : null;
    }
    case 'WEBSITE': {
      try {
        const url = new URL(/^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
        const host = url.hostname.replace(/^www\./, '');
        return HOSTNAME.test(host) ? host : null;
      } catch {
        return null;
      }
    }
    case 'PHONE_NUMBER':
      return normalizePhone(trimmed);
  }
}

const claimOf = (kind: LicensedResourceKind, value: string) => `${kind}:${value}`;

/** Binds a resource to an organisation; false when another organisation holds it (unique claim). */
export async function claimResource(models: AccountsModels, organizationId: Types.ObjectId, kind: LicensedResourceKind, value: string) {
  try {
    const created = await models.LicensedResource.create({ organizationId, kind, value, status: 'ACTIVE', claim: claimOf(kind, value) });
    return created.toObject();
  } catch (error) {
    if (isDuplicateKeyError(error)) return null;
    throw error;
  }
}

/** ACC-11: after closure the resources stay reserved for the organisation until `until`. */
export async function holdResources(models: AccountsModels, organizationId: string, until: Date): Promise<number> {
  const result = await models.LicensedResource.updateMany({ organizationId, status: 'ACTIVE' }, { $set: { status: 'HELD', heldUntil: until } });
  return result.modifiedCount;
}

/** Frees held resources: the claim key changes, so the same domain or number can be claimed again. */
export async function releaseResources(models: AccountsModels, organizationId: string): Promise<number> {
  const held = await models.LicensedResource.find({ organizationId, status: 'HELD' }, { _id: 1 }).lean();
  const now = new Date();
  await Promise.all(
    held.map((row) =>
      models.LicensedResource.updateOne(
        { _id: row._id, status: 'HELD' },
        { $set: { status: 'RELEASED', releasedAt: now, claim: `released:${row._id.toString()}` } },
      ),
    ),
  );
  return held.length;
}
