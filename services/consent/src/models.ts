import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

export const LEGAL_DOCUMENT_KINDS = ['USER_AGREEMENT', 'INFORMATION_NOTICE', 'COOKIE_POLICY', 'DATA_PROCESSING_UNDERTAKING'] as const;
export const CONSENT_CHANNELS = ['EMAIL', 'SMS', 'PHONE', 'PUSH'] as const;
export const DSR_KINDS = ['ACCESS', 'INFORMATION', 'RECTIFICATION', 'ERASURE', 'RECIPIENTS', 'OBJECTION', 'COMPENSATION'] as const;
export const DSR_STATUSES = ['RECEIVED', 'IDENTITY_VERIFIED', 'IN_PROGRESS', 'ANSWERED', 'REJECTED'] as const;

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
    source: { type: String, required: true },
    ip: { type: String, default: null },
    userAgent: { type: String, default: null },
  },
  { collection: 'consent_events' },
);
consentEventSchema.index({ userId: 1, at: 1 });

const dataSubjectRequestSchema = new Schema(
  {
    userId: { type: String, required: true },
    kind: { type: String, enum: DSR_KINDS, required: true },
    status: { type: String, enum: DSR_STATUSES, required: true },
    details: { type: String, default: null },
    receivedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    answeredAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'data_subject_requests' },
);
dataSubjectRequestSchema.index({ userId: 1, receivedAt: 1 });

type WithId<T> = T & { _id: Types.ObjectId };
export type LegalDocumentVersionDoc = WithId<InferSchemaType<typeof legalDocumentVersionSchema>>;
export type ConsentEventDoc = WithId<InferSchemaType<typeof consentEventSchema>>;
export type DataSubjectRequestDoc = WithId<InferSchemaType<typeof dataSubjectRequestSchema>>;

export function consentModels(db: Connection) {
  return {
    LegalDocumentVersion: db.model('LegalDocumentVersion', legalDocumentVersionSchema),
    ConsentEvent: db.model('ConsentEvent', consentEventSchema),
    DataSubjectRequest: db.model('DataSubjectRequest', dataSubjectRequestSchema),
  };
}
export type ConsentModels = ReturnType<typeof consentModels>;
