import type { Locale } from '@omurga/shared';
import type { ConsentModels, LEGAL_DOCUMENT_KINDS, LegalDocumentVersionDoc } from './models.ts';

/**
 * CON-1/CON-4: which legal document versions are in force at `now`: the
 * newest effective version of each kind, leaving out a binding version whose
 * rollout has not made it binding yet. The one place this rule lives.
 */
const inForce = (now: Date) => ({ effectiveAt: { $lte: now }, awaitingBinding: { $ne: true } });

export async function documentsInForce(models: Pick<ConsentModels, 'LegalDocumentVersion'>, locale: Locale, now = new Date()): Promise<LegalDocumentVersionDoc[]> {
  const versions = await models.LegalDocumentVersion.find({ locale, ...inForce(now) }).sort({ kind: 1, version: -1 }).lean<LegalDocumentVersionDoc[]>();
  const current = new Map<string, LegalDocumentVersionDoc>();
  for (const v of versions) if (!current.has(v.kind)) current.set(v.kind, v);
  return [...current.values()];
}

export function documentInForce(models: Pick<ConsentModels, 'LegalDocumentVersion'>, kind: (typeof LEGAL_DOCUMENT_KINDS)[number], locale: Locale, now = new Date()): Promise<LegalDocumentVersionDoc | null> {
  return models.LegalDocumentVersion.findOne({ kind, locale, ...inForce(now) }).sort({ version: -1 }).lean<LegalDocumentVersionDoc>();
}
