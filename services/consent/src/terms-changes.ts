import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { addDuration, createTranslator, isDuplicateKeyError, isEntityId, isIsoDuration, isLocale } from '@omurga/shared';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { TERMS_ROLLOUT_QUERIES, TERMS_ROLLOUT_SIGNALS, termsRolloutWorkflowId, type TermsObjectedSignalInput, type TermsRecipientJoinedSignalInput, type TermsRolloutInput, type TermsRolloutState } from './workflows/contracts/terms.ts';
import { LEGAL_DOCUMENT_KINDS, type ConsentModels, type LegalDocumentVersionDoc } from './models.ts';

/**
 * CON-1/CON-4: publishing a new version of a legal document, and a person's
 * objection to a binding one while its notice runs.
 */

export type LegalDocumentKind = (typeof LEGAL_DOCUMENT_KINDS)[number];

/** Kinds a customer is bound by: a new version rolls out with notice (CON-4). */
export const BINDING_KINDS: readonly LegalDocumentKind[] = ['USER_AGREEMENT', 'DATA_PROCESSING_UNDERTAKING'];
export const isBindingKind = (kind: string) => (BINDING_KINDS as readonly string[]).includes(kind);

export const BODY_MAX = 200_000;
/** The longest notice a policy may set (the contract names P90D, PT24H and PT0S). */
const NOTICE_MAX = 'P366D';

export const termsMessages = createTranslator({
  INVALID_LOCALE: { tr: 'Dil tr ya da en olmalıdır.', en: 'The locale must be tr or en.' },
  BINDING_MISMATCH: {
    tr: 'Üyelik sözleşmesi ve taahhütname bağlayıcıdır (bildirim süresiyle yürürlüğe girer); aydınlatma metni ve çerez politikası bağlayıcı değildir.',
    en: 'The user agreement and the data-processing undertaking are binding (they take effect after a notice); the information notice and the cookie policy are not.',
  },
  INVALID_NOTICE: {
    tr: 'Bildirim süresi P90D, PT24H ya da PT0S gibi bir ISO-8601 süresi olmalıdır (en fazla 366 gün).',
    en: 'The notice must be an ISO-8601 duration such as P90D, PT24H or PT0S (at most 366 days).',
  },
  NOTICE_FOR_BINDING_ONLY: { tr: 'Bildirim süresi yalnız bağlayıcı metinler için verilir.', en: 'A notice applies to binding documents only.' },
  EFFECTIVE_AT_FOR_NON_BINDING_ONLY: {
    tr: 'Bağlayıcı bir metin, bildirim süresi dolunca yürürlüğe girer; yürürlük tarihi verilemez.',
    en: 'A binding document takes effect when its notice runs out; it cannot be given an effective date.',
  },
  UNCHANGED: { tr: 'Metin yürürlükteki sürümle aynı.', en: 'The text is the same as the version in force.' },
  ROLLOUT_IN_PROGRESS: {
    tr: 'Bu metnin yeni bir sürümü henüz yürürlüğe girmedi (sürüm {version}).',
    en: 'A new version of this document has not taken effect yet (version {version}).',
  },
  DOCUMENT_NOT_FOUND: { tr: 'Metin sürümü bulunamadı.', en: 'Document version not found.' },
  NOT_PENDING: {
    tr: 'Bu sürüm için itiraz süresi yok ya da sona erdi.',
    en: 'This version is not awaiting acceptance: there is nothing to object to now.',
  },
  NOT_AFFECTED: { tr: 'Bu değişiklik sizi kapsamıyor.', en: 'This change does not concern you.' },
});

export interface PublishInput {
  kind: LegalDocumentKind;
  locale: string;
  body: string;
  effectiveAt?: Date | null;
  binding: boolean;
  notice?: string | null;
}

export type TermsFailure = { ok: false; code: string; field: string[]; params?: Record<string, string | number> };

const fail = (code: string, field: string, params?: Record<string, string | number>): TermsFailure => ({
  ok: false,
  code,
  field: field ? ['input', field] : [],
  ...(params ? { params } : {}),
});

/**
 * Inserts version N+1 of the kind in the locale. A binding kind waits for its
 * rollout (termsRolloutWorkflow, started here) to make it binding at
 * publication + notice; the other kinds take effect at effectiveAt (default now).
 */
export async function publishLegalDocumentVersion(
  models: ConsentModels,
  temporal: Client,
  input: PublishInput,
  publishedBy: string,
  now: Date,
): Promise<{ ok: true; version: LegalDocumentVersionDoc } | TermsFailure> {
  if (!isLocale(input.locale)) return fail('INVALID_LOCALE', 'locale');
  const body = input.body.trim();
  if (!body) return fail('REQUIRED', 'body');
  if (body.length > BODY_MAX) return fail('TOO_LONG', 'body', { max: BODY_MAX });
  const binding = isBindingKind(input.kind);
  if (input.binding !== binding) return fail('BINDING_MISMATCH', 'binding');
  const notice = input.notice ?? (binding ? null : 'PT0S');
  if (!notice || !isIsoDuration(notice) || addDuration(0, notice) < 0 || addDuration(0, notice) > addDuration(0, NOTICE_MAX)) {
    return fail('INVALID_NOTICE', 'notice');
  }
  if (!binding && addDuration(0, notice) !== 0) return fail('NOTICE_FOR_BINDING_ONLY', 'notice');
  if (binding && input.effectiveAt) return fail('EFFECTIVE_AT_FOR_NON_BINDING_ONLY', 'effectiveAt');

  const contentHash = createHash('sha256').update(body, 'utf8').digest('hex');
  for (let attempt = 0; attempt < 3; attempt++) {
    const latest = await models.LegalDocumentVersion.findOne({ kind: input.kind, locale: input.locale }).sort({ version: -1 }).lean<LegalDocumentVersionDoc>();
    // A rollout is over once the version binds for newcomers and for every customer at their own notice.
    const customersPending = latest ? await models.TermsRolloutRecipient.exists({ documentVersionId: latest._id.toString(), bindingAt: { $gt: now } }) : null;
    if (latest?.awaitingBinding || customersPending) return fail('ROLLOUT_IN_PROGRESS', 'kind', { version: latest!.version });
    if (latest?.contentHash === contentHash) return fail('UNCHANGED', 'body');
    let version: LegalDocumentVersionDoc;
    try {
      const created = await models.LegalDocumentVersion.create({
        kind: input.kind,
        locale: input.locale,
        version: (latest?.version ?? 0) + 1,
        body,
        contentHash,
        effectiveAt: binding ? new Date(addDuration(now.getTime(), notice)) : (input.effectiveAt ?? now),
        publishedAt: now,
        publishedBy,
        notice: binding ? notice : null,
        awaitingBinding: binding,
      });
      version = created.toObject() as LegalDocumentVersionDoc;
    } catch (error) {
      if (isDuplicateKeyError(error)) continue; // published at the same moment by someone else: look again
      throw error;
    }
    if (binding) await startRollout(models, temporal, version, notice);
    return { ok: true, version };
  }
  return fail('ROLLOUT_IN_PROGRESS', 'kind', { version: 0 });
}

async function startRollout(models: ConsentModels, temporal: Client, version: LegalDocumentVersionDoc, notice: string) {
  const documentVersionId = version._id.toString();
  const input: TermsRolloutInput = {
    documentVersionId,
    kind: version.kind,
    version: version.version,
    publishedAt: version.publishedAt!.toISOString(),
    notice,
  };
  try {
    await temporal.workflow.start('termsRolloutWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: termsRolloutWorkflowId(documentVersionId),
      args: [input],
    });
  } catch (error) {
    // Without its rollout the version would never bind: take it back (nobody has seen it yet).
    await models.LegalDocumentVersion.deleteOne({ _id: version._id, awaitingBinding: true });
    throw error;
  }
}

/**
 * A person bound by the previous version rejects a binding one before it
 * binds; the rollout records the objection and offers a cost-free
 * cancellation [000 §6.7].
 */
export async function objectToLegalDocument(
  models: ConsentModels,
  temporal: Client,
  userId: string,
  documentVersionId: string,
  now: Date,
): Promise<{ ok: true; version: LegalDocumentVersionDoc; objectedAt: Date } | TermsFailure> {
  const version = isEntityId(documentVersionId) ? await models.LegalDocumentVersion.findById(documentVersionId).lean<LegalDocumentVersionDoc>() : null;
  const field = 'documentVersionId';
  if (!version) return { ok: false, code: 'DOCUMENT_NOT_FOUND', field: [field] };
  // Bound by an earlier version before publication (the rollout may not have listed them yet), or joined since.
  const recipient = await models.TermsRolloutRecipient.findOne({ documentVersionId, userId }, { bindingAt: 1 }).lean();
  const affected =
    recipient ??
    (await models.LegalAcceptance.exists({
      userId,
      kind: version.kind,
      locale: version.locale,
      acceptedAt: { $lt: version.publishedAt ?? version.createdAt },
    }));
  // Each person may object until the version binds for them (their own contract's notice, or the publication's).
  const bindsAt = recipient?.bindingAt ?? version.effectiveAt;
  if (!version.recipientsListedAt && !version.awaitingBinding) return { ok: false, code: 'NOT_PENDING', field: [field] };
  if (bindsAt <= now) return { ok: false, code: 'NOT_PENDING', field: [field] };
  if (!affected) return { ok: false, code: 'NOT_AFFECTED', field: [field] };
  const handle = temporal.workflow.getHandle(termsRolloutWorkflowId(documentVersionId));
  try {
    // The rollout ignores objections once it has started binding; say so rather than lose one silently.
    const state = await handle.query<TermsRolloutState>(TERMS_ROLLOUT_QUERIES.state);
    if (state.phase === 'DONE') return { ok: false, code: 'NOT_PENDING', field: [field] };
    await handle.signal<[TermsObjectedSignalInput]>(TERMS_ROLLOUT_SIGNALS.objected, { recipientId: userId, at: now.toISOString() });
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError') return { ok: false, code: 'NOT_PENDING', field: [field] };
    throw error;
  }
  const earlier = await models.TermsObjection.findOne({ documentVersionId, userId }).lean();
  return { ok: true, version, objectedAt: earlier?.objectedAt ?? now };
}

/**
 * CON-4: someone who accepts a version while its successor awaits binding (a
 * sign-up during the notice) joins the successor's rollout: listed with its
 * recipients, so they accept by continued use when it binds unless they
 * object, and notified at once by the rollout. Telling the rollout twice is
 * harmless, so a retried hand-over is safe.
 */
export async function joinPendingRollouts(models: ConsentModels, temporal: Client, accepted: readonly LegalDocumentVersionDoc[], userId: string): Promise<void> {
  for (const version of accepted) {
    const successor = await models.LegalDocumentVersion.findOne(
      { kind: version.kind, locale: version.locale, awaitingBinding: true, version: { $gt: version.version } },
      { _id: 1 },
    ).lean();
    if (!successor) continue;
    const documentVersionId = successor._id.toString();
    await models.TermsRolloutRecipient.updateOne({ documentVersionId, userId }, { $setOnInsert: { listedAt: new Date() } }, { upsert: true });
    try {
      await temporal.workflow
        .getHandle(termsRolloutWorkflowId(documentVersionId))
        .signal<[TermsRecipientJoinedSignalInput]>(TERMS_ROLLOUT_SIGNALS.joined, { recipientId: userId });
    } catch (error) {
      // Bound meanwhile: the person's next acceptance is of the new text itself.
      if ((error as Error).name !== 'WorkflowNotFoundError') throw error;
    }
  }
}
