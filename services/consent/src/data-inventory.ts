import type { DataInventoryEntry } from '@omurga/workflows';

/**
 * CON-7: the personal data the consent service holds (models.ts,
 * personal-data/models.ts), why, on which legal basis, for how long and who
 * receives it. Declare a new personal field here in the same change.
 */
const entry = (e: Omit<DataInventoryEntry, 'service'>): DataInventoryEntry => ({ service: 'consent', ...e });

export const CONSENT_DATA_INVENTORY: readonly DataInventoryEntry[] = [
  entry({
    collection: 'legal_acceptances',
    fields: ['userId', 'documentVersionId', 'contentHash', 'acceptedAt', 'method', 'ip (sealed)', 'userAgent (sealed)'],
    dataSubjects: 'customer users',
    purpose: 'proof that the contract and notices were accepted (CON-2)',
    legalBasis: 'KVKK 5/2-c and 5/2-e (formation of the contract, establishing a right)',
    retention: 'P10Y',
    retentionTrigger: 'end of the contract (TBK 146); identifying details crypto-shredded on erasure',
    recipients: [],
  }),
  entry({
    collection: 'consent_events',
    fields: ['userId', 'channel', 'purpose', 'granted', 'at', 'ip (sealed)', 'userAgent (sealed)', 'receipt'],
    dataSubjects: 'customer users',
    purpose: 'proof of explicit consent and its withdrawal for commercial messages and cookies (CON-3)',
    legalBasis: 'KVKK 5/1 (explicit consent) and 5/2-ç (ETK 6563 and its regulation: keeping consent records)',
    retention: 'P1Y',
    retentionTrigger: 'end of the consent (withdrawal or erasure); identifying details crypto-shredded on erasure',
    recipients: ['İleti Yönetim Sistemi (İYS), when registered'],
  }),
  entry({
    collection: 'commercial_campaigns, commercial_message_deliveries',
    fields: ['userId', 'campaignId', 'status', 'reason', 'at'],
    dataSubjects: 'customer users who consented to commercial messages',
    purpose: 'proof of which commercial message went to whom, and of the consent check before it (CON-3)',
    legalBasis: 'KVKK 5/2-ç (ETK 6563 and its regulation: keeping records of commercial messages)',
    retention: 'P1Y',
    retentionTrigger: 'sending of the message',
    recipients: ['İleti Yönetim Sistemi (İYS), when registered'],
  }),
  entry({
    collection: 'data_subject_requests, data_subject_request_events',
    fields: ['userId', 'kind', 'details (sealed)', 'answerRef'],
    dataSubjects: 'people exercising KVKK art. 11 rights',
    purpose: 'answering data-subject requests within 30 days (CON-5)',
    legalBasis: 'KVKK 5/2-ç (KVKK art. 13 obligation) and 5/2-e',
    retention: 'P3Y',
    retentionTrigger: 'the answer',
    recipients: ['Personal Data Protection Board, on a complaint'],
  }),
  entry({
    collection: 'personal_data_exports',
    fields: ['content (the exported data)'],
    dataSubjects: 'the person or organisation exported',
    purpose: 'handing a person or customer their data (CON-5 ACCESS, CON-9)',
    legalBasis: 'KVKK 5/2-ç (art. 11) and 5/2-c',
    retention: 'P30D',
    retentionTrigger: 'the export being ready',
    recipients: ['the requester'],
  }),
  entry({
    collection: 'destruction_records, destruction_runs',
    fields: ['subjectId', 'what was erased and kept'],
    dataSubjects: 'erased people and organisations (by pseudonymous ID)',
    purpose: 'proof of destruction (imha tutanağı)',
    legalBasis: 'KVKK 5/2-ç (Deletion Regulation art. 7: at least 3 years)',
    retention: 'P3Y',
    retentionTrigger: 'the destruction',
    recipients: ['Personal Data Protection Board, on request'],
  }),
  entry({
    collection: 'breaches, breach_events',
    fields: ['affectedOrganizationIds', 'description'],
    dataSubjects: 'people affected by a breach (described, not listed)',
    purpose: 'breach register and notifications (CON-8)',
    legalBasis: 'KVKK 5/2-ç (art. 12/5)',
    retention: 'P5Y',
    retentionTrigger: 'closing of the breach',
    recipients: ['Personal Data Protection Board', 'affected customers (controllers)'],
  }),
];
