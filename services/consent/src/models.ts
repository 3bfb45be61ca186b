import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { rejectLedgerChanges } from './append-only.ts';
import { personalDataModels } from './personal-data/models.ts';
import { BREACH_ROLES } from './workflows/contracts/breaches.ts';
import { COMMERCIAL_DELIVERY_STATUSES, COMMERCIAL_PURPOSES, COMMERCIAL_SKIP_REASONS } from './workflows/contracts/commercial.ts';
import { DATA_SUBJECT_REQUEST_KINDS as DSR_KINDS } from '@omurga/shared/contracts';
import { DATA_SUBJECT_REQUEST_STATUSES as DSR_STATUSES } from './workflows/contracts/requests.ts';

export const LEGAL_DOCUMENT_KINDS = ['USER_AGREEMENT', 'INFORMATION_NOTICE', 'COOKIE_POLICY', 'DATA_PROCESSING_UNDERTAKING'] as const;
export const CONSENT_CHANNELS = ['EMAIL', 'SMS', 'PHONE', 'PUSH'] as const;
// The request kinds and statuses are the workflow contract's, which uses the public API's names.
export { DSR_KINDS, DSR_STATUSES };

export { AppendOnlyLedgerError } from './append-only.ts';

const legalDocumentVersionSchema = new Schema(
  {
    kind: { type: String, enum: LEGAL_DOCUMENT_KINDS, required: true },
    version: { type: Number, required: true },
    locale: { type: String, enum: ['tr', 'en'], required: true },
    body: { type: String, required: true },
    contentHash: { type: String, required: true },
    effectiveAt: { type: Date, required: true },
    /** CON-4: null for the initial versions */
    publishedAt: { type: Date, default: null },
    publishedBy: { type: String, default: null },
    /** the notice period (ISO-8601) a binding version was published with */
    notice: { type: String, default: null },
    /** a binding version whose rollout has not made it binding yet; currentLegalDocuments skips it */
    awaitingBinding: { type: Boolean, default: false },
    /** when the rollout's recipients (terms_rollout_recipients) were completely listed */
    recipientsListedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'legal_document_versions' },
);
legalDocumentVersionSchema.index({ kind: 1, locale: 1, version: 1 }, { unique: true });

/** One grant or withdrawal; never updated. The current state is the latest event per channel and purpose. */
const consentEventSchema = new Schema(
  {
    userId: { type: String, required: true },
    channel: { type: String, enum: CONSENT_CHANNELS, required: true },
    purpose: { type: String, required: true },
    granted: { type: Boolean, required: true },
    at: { type: Date, required: true },
    /** API (the person, signed in), UNSUBSCRIBE_LINK (the signed link in a commercial message) or SIGN_UP (a checkbox of the sign-up form) */
    source: { type: String, required: true },
    ip: { type: String, default: null },
    userAgent: { type: String, default: null },
    /** Kantara-style consent receipt handed to the person (CON-3); absent on events recorded before receipts. */
    receipt: {
      type: new Schema(
        {
          version: { type: String, required: true },
          receiptId: { type: String, required: true },
          timestamp: { type: Date, required: true },
          jurisdiction: { type: String, required: true },
          collectionMethod: { type: String, required: true },
          piiPrincipalId: { type: String, required: true },
          controllerName: { type: String, required: true },
          controllerContact: { type: String, required: true },
          policyUrl: { type: String, default: null },
          purposes: { type: [String], required: true },
        },
        { _id: false },
      ),
      default: null,
    },
  },
  { collection: 'consent_events' },
);
consentEventSchema.index({ userId: 1, at: 1 });
/** commercial senders list the people per channel and purpose (commercial-messages.ts) */
consentEventSchema.index({ channel: 1, purpose: 1, userId: 1 });
rejectLedgerChanges(consentEventSchema, 'consent_events');

const dataSubjectRequestSchema = new Schema(
  {
    userId: { type: String, required: true },
    kind: { type: String, enum: DSR_KINDS, required: true },
    status: { type: String, enum: DSR_STATUSES, required: true },
    details: { type: String, default: null },
    receivedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    answeredAt: { type: Date, default: null },
    /** where the answer is kept (a document or message ID), when answered */
    answerRef: { type: String, default: null },
    rejectionReason: { type: String, default: null },
    /** the support ticket the request arrived as (SUP-8), when converted from one */
    sourceTicketId: { type: String, default: null },
  },
  { timestamps: true, collection: 'data_subject_requests' },
);
dataSubjectRequestSchema.index({ userId: 1, receivedAt: 1 });
dataSubjectRequestSchema.index({ status: 1, dueAt: 1 });

export const DSR_EVENT_KINDS = ['STATUS_CHANGED', 'REMINDER', 'ESCALATED_TO_DPO'] as const;

/**
 * What happened to a data-subject request (CON-5); append-only, never updated.
 * `key` names the event (status, reminder day, escalation) so a retried
 * activity inserts it once.
 */
const dataSubjectRequestEventSchema = new Schema(
  {
    requestId: { type: String, required: true },
    key: { type: String, required: true },
    kind: { type: String, enum: DSR_EVENT_KINDS, required: true },
    status: { type: String, enum: DSR_STATUSES, default: null },
    day: { type: Number, default: null },
    at: { type: Date, required: true },
    answerRef: { type: String, default: null },
    reason: { type: String, default: null },
  },
  { collection: 'data_subject_request_events' },
);
dataSubjectRequestEventSchema.index({ requestId: 1, key: 1 }, { unique: true });
dataSubjectRequestEventSchema.index({ requestId: 1, at: 1 });

export const BREACH_STATUSES = ['OPEN', 'CLOSED'] as const;
export const BREACH_CLOCK_KINDS = ['BOARD', 'CONTROLLER'] as const;
export const BREACH_EVENT_KINDS = ['REPORTED', 'ESCALATION', 'CLOCK_RECORDED', 'BOARD_NOTIFIED', 'CONTROLLER_NOTIFIED', 'CLOSED', 'FORWARDED'] as const;

/** A clock's outcome as written by recordBreachClock; keyed in `clockRecords` by breachClockKey. */
const breachClockRecordSchema = new Schema(
  {
    clock: { type: String, enum: BREACH_CLOCK_KINDS, required: true },
    organizationId: { type: String, default: null },
    status: { type: String, enum: ['MET', 'MISSED'], required: true },
    /** when the notification was made (MET) or the deadline (MISSED) */
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * CON-8 breach register entry. The running clocks live in breachClockWorkflow;
 * `clockRecords` holds each clock's outcome once the workflow has written it.
 */
const breachSchema = new Schema(
  {
    detectedAt: { type: Date, required: true },
    role: { type: String, enum: BREACH_ROLES, required: true },
    description: { type: String, required: true },
    affectedOrganizationIds: { type: [String], default: [] },
    status: { type: String, enum: BREACH_STATUSES, required: true },
    reportedBy: { type: String, default: null },
    boardReference: { type: String, default: null },
    closedAt: { type: Date, default: null },
    clockRecords: { type: Map, of: breachClockRecordSchema, default: {} },
  },
  { timestamps: true, collection: 'breaches' },
);
breachSchema.index({ status: 1, detectedAt: -1 });

/**
 * What happened to a breach (or an end-user request forwarded under CON-8);
 * append-only. `key` names the event, so a retried activity inserts it once.
 */
const breachEventSchema = new Schema(
  {
    key: { type: String, required: true },
    breachId: { type: String, default: null },
    /** for FORWARDED and end-user request escalations */
    requestId: { type: String, default: null },
    kind: { type: String, enum: BREACH_EVENT_KINDS, required: true },
    clock: { type: String, enum: [...BREACH_CLOCK_KINDS, 'END_USER_FORWARDING'], default: null },
    organizationId: { type: String, default: null },
    stage: { type: String, default: null },
    status: { type: String, default: null },
    dueAt: { type: Date, default: null },
    reference: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'breach_events' },
);
breachEventSchema.index({ key: 1 }, { unique: true });
breachEventSchema.index({ breachId: 1, at: 1 });
rejectLedgerChanges(breachEventSchema, 'breach_events');

export const LEGAL_ACCEPTANCE_METHODS = ['CHECKBOX', 'API', 'CONTINUED_USE'] as const;

/**
 * CON-2: who accepted which legal document version (with its hash), when,
 * how, from where. Append-only: kept with its time stamp for the retention
 * period, never edited or deleted through the application.
 */
const legalAcceptanceSchema = new Schema(
  {
    userId: { type: String, required: true },
    organizationId: { type: String, default: null },
    documentVersionId: { type: String, required: true },
    kind: { type: String, enum: LEGAL_DOCUMENT_KINDS, required: true },
    version: { type: Number, required: true },
    locale: { type: String, required: true },
    contentHash: { type: String, required: true },
    /** the accepting service's clock when the person accepted (continued use: when the version became binding) */
    acceptedAt: { type: Date, required: true },
    /** consent's clock when the record was written */
    recordedAt: { type: Date, required: true },
    method: { type: String, enum: LEGAL_ACCEPTANCE_METHODS, required: true },
    ip: { type: String, default: null },
    userAgent: { type: String, default: null },
  },
  { collection: 'legal_acceptances' },
);
legalAcceptanceSchema.index({ userId: 1, documentVersionId: 1 }, { unique: true });
legalAcceptanceSchema.index({ kind: 1, locale: 1, acceptedAt: 1 });
rejectLedgerChanges(legalAcceptanceSchema, 'legal_acceptances');

/**
 * CON-4: the people a binding version's rollout addresses: those bound at
 * publication, listed once, and those who join during the notice, appended;
 * the rollout pages through them in _id order (to notify, then to accept).
 */
const termsRolloutRecipientSchema = new Schema(
  {
    documentVersionId: { type: String, required: true },
    userId: { type: String, required: true },
    listedAt: { type: Date, required: true },
    /** when the version binds for this person: after the longest terms-change notice of the contracts they represent (set when notified) */
    bindingAt: { type: Date, default: null },
  },
  { collection: 'terms_rollout_recipients' },
);
termsRolloutRecipientSchema.index({ documentVersionId: 1, userId: 1 }, { unique: true });
termsRolloutRecipientSchema.index({ documentVersionId: 1, _id: 1 });
termsRolloutRecipientSchema.index({ documentVersionId: 1, bindingAt: 1, _id: 1 });

/**
 * CON-4 [000 §6.7]: a person rejected a new binding version before it bound,
 * and was offered cancellation at no cost. Append-only.
 */
const termsObjectionSchema = new Schema(
  {
    documentVersionId: { type: String, required: true },
    userId: { type: String, required: true },
    kind: { type: String, enum: LEGAL_DOCUMENT_KINDS, required: true },
    version: { type: Number, required: true },
    locale: { type: String, required: true },
    objectedAt: { type: Date, required: true },
    /** when consent recorded it and e-mailed the offer */
    cancellationOfferedAt: { type: Date, required: true },
  },
  { collection: 'terms_objections' },
);
termsObjectionSchema.index({ documentVersionId: 1, userId: 1 }, { unique: true });
termsObjectionSchema.index({ userId: 1, objectedAt: 1 });
rejectLedgerChanges(termsObjectionSchema, 'terms_objections');

/**
 * CON-3 / ETK: a commercial campaign as the operator sent it (texts, purpose,
 * channel, who). Written once by commercialMessageWorkflow; append-only.
 */
const commercialCampaignSchema = new Schema(
  {
    campaignId: { type: String, required: true },
    channel: { type: String, enum: CONSENT_CHANNELS, required: true },
    purpose: { type: String, enum: COMMERCIAL_PURPOSES, required: true },
    subject: { type: new Schema({ tr: { type: String, required: true }, en: { type: String, required: true } }, { _id: false }), required: true },
    body: { type: new Schema({ tr: { type: String, required: true }, en: { type: String, required: true } }, { _id: false }), required: true },
    requestedBy: { type: String, default: null },
    recordedAt: { type: Date, required: true },
  },
  { collection: 'commercial_campaigns' },
);
commercialCampaignSchema.index({ campaignId: 1 }, { unique: true });
rejectLedgerChanges(commercialCampaignSchema, 'commercial_campaigns');

/**
 * CON-3 / ETK record keeping: each person a campaign was sent to or skipped
 * for (with the reason), once per (campaignId, userId). Append-only.
 */
const commercialMessageDeliverySchema = new Schema(
  {
    campaignId: { type: String, required: true },
    userId: { type: String, required: true },
    channel: { type: String, enum: CONSENT_CHANNELS, required: true },
    purpose: { type: String, enum: COMMERCIAL_PURPOSES, required: true },
    status: { type: String, enum: COMMERCIAL_DELIVERY_STATUSES, required: true },
    reason: { type: String, enum: [...COMMERCIAL_SKIP_REASONS, null], default: null },
    at: { type: Date, required: true },
  },
  { collection: 'commercial_message_deliveries' },
);
commercialMessageDeliverySchema.index({ campaignId: 1, userId: 1 }, { unique: true });
commercialMessageDeliverySchema.index({ campaignId: 1, _id: 1 });
commercialMessageDeliverySchema.index({ userId: 1, at: 1 });
rejectLedgerChanges(commercialMessageDeliverySchema, 'commercial_message_deliveries');

type WithId<T> = T & { _id: Types.ObjectId };
export type LegalDocumentVersionDoc = WithId<InferSchemaType<typeof legalDocumentVersionSchema>>;
export type ConsentEventDoc = WithId<InferSchemaType<typeof consentEventSchema>>;
export type DataSubjectRequestDoc = WithId<InferSchemaType<typeof dataSubjectRequestSchema>>;
export type DataSubjectRequestEventDoc = WithId<InferSchemaType<typeof dataSubjectRequestEventSchema>>;
export type BreachDoc = WithId<InferSchemaType<typeof breachSchema>>;
export type BreachEventDoc = WithId<InferSchemaType<typeof breachEventSchema>>;
export type LegalAcceptanceDoc = WithId<InferSchemaType<typeof legalAcceptanceSchema>>;
export type TermsObjectionDoc = WithId<InferSchemaType<typeof termsObjectionSchema>>;
export type CommercialCampaignDoc = WithId<InferSchemaType<typeof commercialCampaignSchema>>;
export type CommercialMessageDeliveryDoc = WithId<InferSchemaType<typeof commercialMessageDeliverySchema>>;

export function consentModels(db: Connection) {
  return {
    LegalDocumentVersion: db.model('LegalDocumentVersion', legalDocumentVersionSchema),
    ConsentEvent: db.model('ConsentEvent', consentEventSchema),
    DataSubjectRequest: db.model('DataSubjectRequest', dataSubjectRequestSchema),
    DataSubjectRequestEvent: db.model('DataSubjectRequestEvent', dataSubjectRequestEventSchema),
    Breach: db.model('Breach', breachSchema),
    BreachEvent: db.model('BreachEvent', breachEventSchema),
    LegalAcceptance: db.model('LegalAcceptance', legalAcceptanceSchema),
    TermsRolloutRecipient: db.model('TermsRolloutRecipient', termsRolloutRecipientSchema),
    TermsObjection: db.model('TermsObjection', termsObjectionSchema),
    CommercialCampaign: db.model('CommercialCampaign', commercialCampaignSchema),
    CommercialMessageDelivery: db.model('CommercialMessageDelivery', commercialMessageDeliverySchema),
    ...personalDataModels(db),
  };
}
export type ConsentModels = ReturnType<typeof consentModels>;
