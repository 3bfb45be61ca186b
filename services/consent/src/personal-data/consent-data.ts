import type { DataSubject, ErasureLine, KeptLine, ServiceErasureReport } from '@omurga/shared/contracts';
import type { ConsentModels } from '../models.ts';
import { subjectKeys } from './subject-keys.ts';

/**
 * What the consent service holds about a person (CON-5 ACCESS, CON-6, CON-9).
 * Acceptance records, consent events and request records are proof the
 * controller must be able to show, so erasure keeps them whole (they are
 * append-only) and destroys the person's key instead: the IPs, user agents and
 * request details sealed inside can no longer be read. The pseudonymous user
 * ID they keep points at an identity accounts has erased.
 */

const YEAR_MS = 365 * 86_400_000;
const RETENTION = {
  acceptances: { years: 10, basis: 'proof of the contract and notices accepted: TBK art. 146 (10 years), KVKK 5/2-e' },
  consents: { years: 1, basis: 'proof of consent and its withdrawal: ETK 6563 and the Regulation on Commercial Communication (1 year after it ends), KVKK 5/2-ç' },
  requests: { years: 3, basis: 'proof of answering KVKK art. 11 requests (art. 13), KVKK 5/2-e' },
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function eraseSubject(models: ConsentModels, subject: DataSubject): Promise<ServiceErasureReport> {
  if (subject.kind !== 'PERSON') return organizationReport(models, subject.organizationId);
  const { userId } = subject;
  const keys = subjectKeys(models);
  const shredded = await keys.shred(userId);
  const [acceptances, consents, requests, exports, deliveries] = await Promise.all([
    models.LegalAcceptance.find({ userId }, { acceptedAt: 1 }).lean(),
    models.ConsentEvent.find({ userId }, { at: 1 }).lean(),
    models.DataSubjectRequest.find({ userId }, { receivedAt: 1 }).lean(),
    models.PersonalDataExport.deleteMany({
      $or: [{ subjectKind: 'PERSON', subjectId: userId }, { subjectKind: 'ORGANIZATION', subjectId: { $in: subject.organizationIds } }],
    }),
    models.CommercialMessageDelivery.find({ userId }, { at: 1 }).lean(),
  ]);
  const erased: ErasureLine[] = [
    {
      collection: 'subject_keys',
      description: 'the key to the IPs, user agents and request details sealed in consent records (crypto-shredded)',
      count: shredded ? 1 : 0,
    },
    { collection: 'personal_data_exports', description: 'prepared data exports', count: exports.deletedCount },
  ].filter((l) => l.count > 0);
  const kept: KeptLine[] = [];
  const keep = (collection: string, description: string, dates: Date[], rule: { years: number; basis: string }) => {
    if (dates.length === 0) return;
    kept.push({
      collection,
      description,
      count: dates.length,
      legalBasis: rule.basis,
      keptUntil: day(Math.max(...dates.map((d) => d.getTime())) + rule.years * YEAR_MS),
      restricted: true,
    });
  };
  keep('legal_acceptances', 'acceptance records, pseudonymised (identifying details shredded)', acceptances.map((a) => a.acceptedAt), RETENTION.acceptances);
  keep('consent_events', 'consent grants and withdrawals, pseudonymised', consents.map((c) => c.at), RETENTION.consents);
  keep('commercial_message_deliveries', 'which commercial messages went to the person, pseudonymised', deliveries.map((d) => d.at), RETENTION.consents);
  keep('data_subject_requests', 'data-subject requests, pseudonymised (details shredded)', requests.map((r) => r.receivedAt), RETENTION.requests);
  return { service: 'consent', erased, kept };
}

/** An organisation's acceptances belong to its people, who are erased one by one; the report says what stays. */
async function organizationReport(models: ConsentModels, organizationId: string): Promise<ServiceErasureReport> {
  const exports = await models.PersonalDataExport.deleteMany({ subjectKind: 'ORGANIZATION', subjectId: organizationId });
  return {
    service: 'consent',
    erased: exports.deletedCount > 0 ? [{ collection: 'personal_data_exports', description: 'prepared organisation exports', count: exports.deletedCount }] : [],
    kept: [],
  };
}

export async function exportSubject(models: ConsentModels, subject: DataSubject): Promise<Record<string, unknown>> {
  const keys = subjectKeys(models);
  if (subject.kind === 'ORGANIZATION') {
    const acceptances = await models.LegalAcceptance.find({ organizationId: subject.organizationId }, { ip: 0, userAgent: 0, __v: 0 }).lean();
    return JSON.parse(JSON.stringify({ legalAcceptances: acceptances })) as Record<string, unknown>;
  }
  const { userId } = subject;
  const open = (value: string | null | undefined) => keys.open(userId, value ?? null);
  const acceptances = await models.LegalAcceptance.find({ userId }, { __v: 0 }).sort({ acceptedAt: 1 }).lean();
  const consents = await models.ConsentEvent.find({ userId }, { __v: 0 }).sort({ at: 1 }).lean();
  const requests = await models.DataSubjectRequest.find({ userId }, { __v: 0 }).sort({ receivedAt: 1 }).lean();
  const objections = await models.TermsObjection.find({ userId }, { __v: 0 }).lean();
  const data = {
    legalAcceptances: await Promise.all(acceptances.map(async (a) => ({ ...a, ip: await open(a.ip), userAgent: await open(a.userAgent) }))),
    consentEvents: await Promise.all(consents.map(async (c) => ({ ...c, ip: await open(c.ip), userAgent: await open(c.userAgent) }))),
    dataSubjectRequests: await Promise.all(requests.map(async (r) => ({ ...r, details: await open(r.details) }))),
    termsObjections: objections,
  };
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}

/**
 * Periodic destruction (CON-7), per the retention declared in
 * data-inventory.ts: exports after 30 days; commercial-message deliveries
 * after a year; answered requests after 3 years and closed breaches after 5,
 * with their event logs; destruction records and run logs after their 3
 * years. The append-only ones go through the raw collection, deliberately,
 * here and nowhere else. (Consent events and acceptances are kept while they
 * prove a consent or a contract in force; see the note in the README.)
 */
export async function destroyExpired(models: ConsentModels, now: Date): Promise<ServiceErasureReport> {
  const before = (years: number) => new Date(now.getTime() - years * YEAR_MS);
  const oldRequests = await models.DataSubjectRequest.find({ answeredAt: { $lt: before(RETENTION.requests.years) } }, { _id: 1 }).lean();
  const oldBreaches = await models.Breach.find({ closedAt: { $lt: before(5) } }, { _id: 1 }).lean();
  const requestIds = oldRequests.map((r) => r._id.toString());
  const breachIds = oldBreaches.map((b) => b._id.toString());
  const [exports, deliveries, requests, breaches, records, runs] = await Promise.all([
    models.PersonalDataExport.deleteMany({ expiresAt: { $lt: now } }),
    models.CommercialMessageDelivery.collection.deleteMany({ at: { $lt: before(RETENTION.consents.years) } }),
    requestIds.length
      ? Promise.all([
          models.DataSubjectRequestEvent.collection.deleteMany({ requestId: { $in: requestIds } }),
          models.DataSubjectRequest.deleteMany({ _id: { $in: oldRequests.map((r) => r._id) } }),
        ]).then(([, deleted]) => deleted)
      : { deletedCount: 0 },
    breachIds.length
      ? Promise.all([
          models.BreachEvent.collection.deleteMany({ breachId: { $in: breachIds } }),
          models.Breach.deleteMany({ _id: { $in: oldBreaches.map((b) => b._id) } }),
        ]).then(([, deleted]) => deleted)
      : { deletedCount: 0 },
    models.DestructionRecord.collection.deleteMany({ retainUntil: { $lt: now } }),
    models.DestructionRun.collection.deleteMany({ retainUntil: { $lt: now } }),
  ]);
  return {
    service: 'consent',
    erased: [
      { collection: 'personal_data_exports', description: 'data exports older than 30 days', count: exports.deletedCount },
      { collection: 'commercial_message_deliveries', description: 'commercial-message records older than a year', count: deliveries.deletedCount },
      { collection: 'data_subject_requests', description: 'requests answered more than 3 years ago, with their events', count: requests.deletedCount },
      { collection: 'breaches', description: 'breaches closed more than 5 years ago, with their events', count: breaches.deletedCount },
      { collection: 'destruction_records', description: 'destruction records past their 3 years', count: records.deletedCount },
      { collection: 'destruction_runs', description: 'destruction run logs past their 3 years', count: runs.deletedCount },
    ].filter((l) => l.count > 0),
    kept: [],
  };
}
