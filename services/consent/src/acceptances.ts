import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isDuplicateKeyError, isEntityId } from '@omurga/shared';
import { LEGAL_DOCUMENT_VERSION_UNKNOWN, type LegalAcceptanceActivities, type LegalAcceptanceMethod, type RecordLegalAcceptancesInput } from '@omurga/shared/contracts';
import { recordSignUpConsents, type ReceiptSettings } from './consent-ledger.ts';
import type { ConsentModels, LegalAcceptanceDoc, LegalDocumentVersionDoc } from './models.ts';
import { subjectKeys } from './personal-data/subject-keys.ts';
import { joinPendingRollouts } from './terms-changes.ts';

/**
 * CON-2 acceptance records: who accepted which version (kind, version, locale
 * and content hash copied from it), when, how, from which IP and user agent.
 * Only ever inserted; the unique (userId, documentVersionId) index makes a
 * repeated hand-over a no-op, so the first record of an acceptance stands.
 */

export interface NewAcceptance {
  userId: string;
  organizationId: string | null;
  method: LegalAcceptanceMethod;
  acceptedAt: Date;
  ip: string | null;
  userAgent: string | null;
}

/** Appends an acceptance of `version`; false when the person had already accepted it. */
export async function appendAcceptance(models: ConsentModels, version: LegalDocumentVersionDoc, acceptance: NewAcceptance, now = new Date()): Promise<boolean> {
  const keys = subjectKeys(models);
  // An erased person accepts nothing any more (a rollout may still list them).
  if (await keys.isShredded(acceptance.userId)) return false;
  // sealed with the person's key, so erasure makes them unreadable without touching the record (CON-6)
  const [ip, userAgent] = await keys.sealEach(acceptance.userId, [acceptance.ip, acceptance.userAgent]);
  try {
    await models.LegalAcceptance.create({
      ...acceptance,
      ip: ip ?? null,
      userAgent: userAgent ?? null,
      documentVersionId: version._id.toString(),
      kind: version.kind,
      version: version.version,
      locale: version.locale,
      contentHash: version.contentHash,
      recordedAt: now,
    });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** The stored versions with these IDs; null when any is unknown. */
export async function findVersions(models: ConsentModels, ids: readonly string[]): Promise<LegalDocumentVersionDoc[] | null> {
  const unique = [...new Set(ids)];
  if (!unique.every(isEntityId)) return null;
  const versions = await models.LegalDocumentVersion.find({ _id: { $in: unique } }).lean<LegalDocumentVersionDoc[]>();
  return versions.length === unique.length ? versions : null;
}

export function legalAcceptanceActivities(models: ConsentModels, temporal: Client, receipts: ReceiptSettings): LegalAcceptanceActivities {
  return {
    async recordLegalAcceptances(input: RecordLegalAcceptancesInput) {
      const versions = await findVersions(models, input.documentVersionIds);
      if (!versions || versions.length === 0) {
        throw ApplicationFailure.nonRetryable(`unknown legal document version among ${input.documentVersionIds.join(', ')}`, LEGAL_DOCUMENT_VERSION_UNKNOWN);
      }
      const acceptedAt = new Date(input.acceptedAt);
      const acceptance: NewAcceptance = {
        userId: input.userId,
        organizationId: input.organizationId,
        method: input.method,
        acceptedAt: Number.isNaN(acceptedAt.getTime()) ? new Date() : acceptedAt,
        ip: input.ip,
        userAgent: input.userAgent,
      };
      let recorded = 0;
      for (const version of versions) if (await appendAcceptance(models, version, acceptance)) recorded++;
      if (input.consents?.length) {
        await recordSignUpConsents(models, receipts, { userId: input.userId, consents: input.consents, ip: input.ip, userAgent: input.userAgent, at: acceptance.acceptedAt });
      }
      // A retried hand-over recorded nothing new but may not have joined yet: join regardless (idempotent).
      if (input.method !== 'CONTINUED_USE') await joinPendingRollouts(models, temporal, versions, input.userId);
      return { recorded };
    },
  };
}

/** A person's acceptances, oldest first. */
export function acceptancesOfUser(models: ConsentModels, userId: string): Promise<LegalAcceptanceDoc[]> {
  return models.LegalAcceptance.find({ userId }).sort({ acceptedAt: 1, _id: 1 }).lean<LegalAcceptanceDoc[]>();
}
