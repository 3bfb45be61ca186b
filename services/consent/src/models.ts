import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { BREACH_ROLES, DATA_SUBJECT_REQUEST_KINDS as DSR_KINDS, DATA_SUBJECT_REQUEST_STATUSES as DSR_STATUSES } from '@omurga/workflows';

export const LEGAL_DOCUMENT_KINDS = ['USER_AGREEMENT', 'INFORMATION_NOTICE', 'COOKIE_POLICY', 'DATA_PROCESSING_UNDERTAKING'] as const;
export const CONSENT_CHANNELS = ['EMAIL', 'SMS', 'PHONE', 'PUSH'] as const;
// The request kinds and statuses are the workflow contract's, which uses the public API's names.
export { DSR_KINDS, DSR_STATUSES };

/** Thrown when code tries to change or remove an entry of an append-only ledger (CON-2, CON-3). */
export class AppendOnlyLedgerError extends Error {
  constructor(collection: string, operation: string) {
    super(`${collection} is append-only: ${operation} is not allowed`);
    this.name = 'AppendOnlyLedgerError';
  }
}

const QUERY_CHANGES = ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const;

/**
 * Refuses every mongoose path that changes or removes stored entries: query
 * updates and deletes, the document's own updateOne/deleteOne, save of a loaded
 * document, and bulkWrite operations other than inserts. (The raw driver
 * collection bypasses mongoose and is not used for ledgers.)
 */
function rejectLedgerChanges(schema: Schema, collection: string) {
  for (const operation of QUERY_CHANGES) {
    schema.pre(operation, { document: false, query: true }, () => {
      throw new AppendOnlyLedgerError(collection, operation);
    });
  }
  for (const operation of ['updateOne', 'deleteOne'] as const) {
    schema.pre(operation, { document: true, query: false }, () => {
      throw new AppendOnlyLedgerError(collection, `document ${operation}`);
    });
  }
  schema.pre('save', function () {
    if (!this.isNew) throw new AppendOnlyLedgerError(collection, 'save of a stored entry');
  });
  schema.pre('bulkWrite', (ops: readonly object[]) => {
    const change = ops.find((op) => !('insertOne' in op));
    if (change) throw new AppendOnlyLedgerError(collection, `bulkWrite ${Object.keys(change)[0] ?? ''}`);
  });
}

const legalDocumentVersionSchema = new Schema(
  {
    kind: { type: String, enum: LEGAL_DOCUMENT_KINDS, required: true },
    version: { type: Number, required: true },
    locale: { type: String, enum: ['tr', 'en'], required: true },
    body: { type: String, required: true },
    contentHash: { type: String, required: true },
    effectiveAt: { type: Date, required: true },
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
    /** API (the person, signed in) or UNSUBSCRIBE_LINK (the signed link in a commercial message) */
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

type WithId<T> = T & { _id: Types.ObjectId };
export type LegalDocumentVersionDoc = WithId<InferSchemaType<typeof legalDocumentVersionSchema>>;
export type ConsentEventDoc = WithId<InferSchemaType<typeof consentEventSchema>>;
export type DataSubjectRequestDoc = WithId<InferSchemaType<typeof dataSubjectRequestSchema>>;
export type DataSubjectRequestEventDoc = WithId<InferSchemaType<typeof dataSubjectRequestEventSchema>>;
export type BreachDoc = WithId<InferSchemaType<typeof breachSchema>>;
export type BreachEventDoc = WithId<InferSchemaType<typeof breachEventSchema>>;

export function consentModels(db: Connection) {
  return {
    LegalDocumentVersion: db.model('LegalDocumentVersion', legalDocumentVersionSchema),
    ConsentEvent: db.model('ConsentEvent', consentEventSchema),
    DataSubjectRequest: db.model('DataSubjectRequest', dataSubjectRequestSchema),
    DataSubjectRequestEvent: db.model('DataSubjectRequestEvent', dataSubjectRequestEventSchema),
    Breach: db.model('Breach', breachSchema),
    BreachEvent: db.model('BreachEvent', breachEventSchema),
  };
}
export type ConsentModels = ReturnType<typeof consentModels>;
