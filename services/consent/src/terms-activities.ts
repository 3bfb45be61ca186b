import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { isDuplicateKeyError, isEntityId, type Locale } from '@omurga/shared';
import { TERMS_DOCUMENT_NOT_FOUND, type AffectedCustomersPage, type TermsRecipientAddress, type TermsRolloutActivities } from './workflows/contracts/terms.ts';
import { startEmailWorkflow, type EmailMessage } from '@omurga/shared/temporal';
import { appendAcceptance } from './acceptances.ts';
import type { ConsentModels, LegalDocumentVersionDoc } from './models.ts';

/**
 * consent's side of termsRolloutWorkflow (CON-4). The affected customers are
 * the people who accepted an earlier version of the same kind in the same
 * locale before publication, listed once into terms_rollout_recipients, plus
 * anyone who accepts the previous version during the notice (appended when
 * they join, joinPendingRollouts); both passes of the rollout page through
 * that list in _id order. Every activity is idempotent.
 */
export interface TermsActivityDeps {
  models: ConsentModels;
  temporal: Client;
  /** the panel's address, for links to the published text */
  publicAppUrl: string;
}

const LISTING_BATCH = 500;

export function termsRolloutActivities({ models, temporal, publicAppUrl }: TermsActivityDeps): TermsRolloutActivities {
  async function requireVersion(documentVersionId: string): Promise<LegalDocumentVersionDoc> {
    const version = isEntityId(documentVersionId) ? await models.LegalDocumentVersion.findById(documentVersionId).lean<LegalDocumentVersionDoc>() : null;
    if (!version) throw ApplicationFailure.nonRetryable(`legal document version ${documentVersionId} not found`, TERMS_DOCUMENT_NOT_FOUND);
    return version;
  }

  /** Lists the recipients once; a retry after a crash half-way adds only the missing ones. */
  async function listRecipients(version: LegalDocumentVersionDoc): Promise<void> {
    if (version.recipientsListedAt) return;
    const documentVersionId = version._id.toString();
    const acceptances = models.LegalAcceptance.find(
      { kind: version.kind, locale: version.locale, acceptedAt: { $lt: version.publishedAt ?? version.createdAt }, documentVersionId: { $ne: documentVersionId } },
      { userId: 1 },
    )
      .sort({ _id: 1 })
      .lean()
      .cursor();
    const now = new Date();
    let batch = new Set<string>();
    const flush = async () => {
      if (batch.size === 0) return;
      await models.TermsRolloutRecipient.bulkWrite(
        [...batch].map((userId) => ({
          updateOne: { filter: { documentVersionId, userId }, update: { $setOnInsert: { listedAt: now } }, upsert: true },
        })),
        { ordered: false },
      );
      batch = new Set();
    };
    for await (const { userId } of acceptances) {
      batch.add(userId);
      if (batch.size >= LISTING_BATCH) await flush();
    }
    await flush();
    await models.LegalDocumentVersion.updateOne({ _id: version._id, recipientsListedAt: null }, { $set: { recipientsListedAt: now } });
  }

  async function send(key: string, to: TermsRecipientAddress, message: (locale: Locale) => { subject: string; text: string }) {
    const email: EmailMessage = { to: to.email, ...message(to.locale === 'en' ? 'en' : 'tr') };
    return startEmailWorkflow(temporal, key, email);
  }

  /** Appends the objection once; the offer is made by the e-mail that follows (cancellationOfferedAt records when it was decided). */
  async function recordObjection(version: LegalDocumentVersionDoc, recipientId: string, objectedAt: string): Promise<void> {
    try {
      await models.TermsObjection.create({
        documentVersionId: version._id.toString(),
        userId: recipientId,
        kind: version.kind,
        version: version.version,
        locale: version.locale,
        objectedAt: new Date(objectedAt),
        cancellationOfferedAt: new Date(),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error; // recorded by an earlier attempt
    }
  }

  const link = (version: LegalDocumentVersionDoc) => `${publicAppUrl.replace(/\/$/, '')}/legal/${version._id.toString()}`;

  return {
    async listAffectedCustomers({ documentVersionId, cursor, limit, bindingAt }): Promise<AffectedCustomersPage> {
      const version = await requireVersion(documentVersionId);
      await listRecipients(version);
      const after = cursor && isEntityId(cursor) ? { _id: { $gt: cursor } } : {};
      const boundThen = bindingAt ? { bindingAt: new Date(bindingAt) } : {};
      const rows = await models.TermsRolloutRecipient.find({ documentVersionId, ...boundThen, ...after }, { userId: 1 })
        .sort({ _id: 1 })
        .limit(limit + 1)
        .lean();
      const page = rows.slice(0, limit);
      return { ids: page.map((r) => r.userId), nextCursor: rows.length > limit ? page.at(-1)!._id.toString() : null };
    },

    async notifyTermsChange({ documentVersionId, recipientId, bindingAt, to }) {
      const version = await requireVersion(documentVersionId);
      // The person's own binding instant, kept before the e-mail that names it (the first one stands).
      await models.TermsRolloutRecipient.updateOne({ documentVersionId, userId: recipientId, bindingAt: null }, { $set: { bindingAt: new Date(bindingAt) } });
      if (!to) return { sent: false }; // nobody to write to (unknown or erased)
      const outcome = await send(`consent/terms-change/${documentVersionId}/${recipientId}`, to, (locale) =>
        termsChangeNotice(locale, { kind: version.kind, version: version.version, bindingAt: new Date(bindingAt), link: link(version) }),
      );
      return { sent: outcome === 'STARTED' };
    },

    async recordTermsObjection({ documentVersionId, recipientId, objectedAt }) {
      await recordObjection(await requireVersion(documentVersionId), recipientId, objectedAt);
    },

    async offerCostFreeCancellation({ documentVersionId, recipientId, objectedAt, until, to }) {
      const version = await requireVersion(documentVersionId);
      await recordObjection(version, recipientId, objectedAt);
      if (!to) return;
      await send(`consent/terms-objection/${documentVersionId}/${recipientId}`, to, (locale) =>
        cancellationOffer(locale, { kind: version.kind, version: version.version, link: link(version), until: new Date(until) }),
      );
    },

    async makeBinding({ documentVersionId, at }) {
      await requireVersion(documentVersionId);
      await models.LegalDocumentVersion.updateOne({ _id: documentVersionId }, { $set: { effectiveAt: new Date(at), awaitingBinding: false } });
    },

    async recordContinuedUseAcceptance({ documentVersionId, recipientId, at, method }) {
      const version = await requireVersion(documentVersionId);
      await appendAcceptance(models, version, { userId: recipientId, organizationId: null, method, acceptedAt: new Date(at), ip: null, userAgent: null });
    },
  };
}

// ── e-mail texts (tr, en) ───────────────────────────────────────────────────

const KIND_NAMES: Record<string, Record<Locale, string>> = {
  USER_AGREEMENT: { tr: 'Üyelik ve Hizmet Sözleşmesi', en: 'Membership and Service Agreement' },
  DATA_PROCESSING_UNDERTAKING: { tr: 'Veri İşleme Taahhütnamesi', en: 'Data Processing Undertaking' },
  INFORMATION_NOTICE: { tr: 'Aydınlatma Metni', en: 'Privacy Notice' },
  COOKIE_POLICY: { tr: 'Çerez Politikası', en: 'Cookie Policy' },
};

const kindName = (kind: string, locale: Locale) => KIND_NAMES[kind]?.[locale] ?? kind;

const formatInstant = (at: Date, locale: Locale) =>
  new Intl.DateTimeFormat(locale === 'tr' ? 'tr-TR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Istanbul' }).format(at);

export function termsChangeNotice(locale: Locale, p: { kind: string; version: number; bindingAt: Date; link: string }) {
  const name = kindName(p.kind, locale);
  const when = formatInstant(p.bindingAt, locale);
  return locale === 'tr'
    ? {
        subject: `${name} değişiyor (sürüm ${p.version})`,
        text: `Merhaba,\n\n${name} metninin ${p.version}. sürümünü yayımladık. Yeni metin ${when} (Türkiye saati) itibarıyla geçerli olacak:\n${p.link}\n\nDeğişikliği kabul etmiyorsanız bu tarihten önce panelden itiraz edebilir ve hizmetinizi hiçbir bedel ödemeden sonlandırabilirsiniz. İtiraz etmezseniz hizmeti kullanmaya devam etmeniz yeni metni kabul ettiğiniz anlamına gelir.`,
      }
    : {
        subject: `The ${name} is changing (version ${p.version})`,
        text: `Hello,\n\nWe have published version ${p.version} of the ${name}. It takes effect on ${when} (Turkish time):\n${p.link}\n\nIf you do not accept the change, you may object in the panel before then and cancel your service at no cost. If you do not object, continuing to use the service means you accept the new text.`,
      };
}

export function cancellationOffer(locale: Locale, p: { kind: string; version: number; link: string; until: Date }) {
  const name = kindName(p.kind, locale);
  const until = formatInstant(p.until, locale);
  return locale === 'tr'
    ? {
        subject: `İtirazınız alındı: ${name} (sürüm ${p.version})`,
        text: `Merhaba,\n\n${name} metninin ${p.version}. sürümüne itirazınızı kaydettik:\n${p.link}\n\n${until} tarihine kadar aboneliklerinizi hiçbir bedel ve bildirim süresi olmadan iptal edebilirsiniz: panelden iptal ettiğiniz abonelik, ödenmiş olan mevcut dönemin sonunda biter ve yenilenmez. Bize yazarak da iptal edebilirsiniz.`,
      }
    : {
        subject: `Objection received: ${name} (version ${p.version})`,
        text: `Hello,\n\nWe have recorded your objection to version ${p.version} of the ${name}:\n${p.link}\n\nUntil ${until} you may cancel your subscriptions at no cost and without notice: a subscription you cancel in the panel ends with its current, already paid period and is not renewed. You may also write to us to cancel.`,
      };
}
