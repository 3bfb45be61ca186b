import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { rejectLedgerChanges } from '../append-only.ts';

/**
 * The consent service's records of personal-data work (CON-5, CON-6, CON-7, CON-9).
 * Destruction records and destruction runs are append-only: nothing changes
 * them through any mongoose path, and periodic destruction removes them only
 * after their retention (3 years) through the one raw path in destroy-expired.ts.
 */

// `collection` names the service's collection in a report line; these sub-documents are plain data, never models.
const LINE_OPTIONS = { _id: false, suppressReservedKeysWarning: true } as const;
const lineSchema = new Schema({ collection: String, description: String, count: Number }, LINE_OPTIONS);
const keptLineSchema = new Schema(
  { collection: String, description: String, count: Number, legalBasis: String, keptUntil: { type: String, default: null }, restricted: Boolean },
  LINE_OPTIONS,
);
const serviceReportSchema = new Schema({ service: String, erased: [lineSchema], kept: [keptLineSchema] }, { _id: false });

/** The destruction record (imha tutanağı) of one erasure: what every service erased and kept, and why. */
const destructionRecordSchema = new Schema(
  {
    /** the erasure's idempotency key: `dsr/<requestId>` or `termination/<organizationId>` */
    erasureId: { type: String, required: true },
    subjectKind: { type: String, enum: ['PERSON', 'ORGANIZATION'], required: true },
    /** the user or organisation ID: a pseudonym once accounts has erased the identity behind it */
    subjectId: { type: String, required: true },
    /** organisations erased with the person (individual customers) */
    organizationIds: { type: [String], default: [] },
    reason: { type: String, enum: ['DATA_SUBJECT_REQUEST', 'TERMINATION'], required: true },
    requestId: { type: String, default: null },
    /** method per the Deletion Regulation: erasure and anonymisation */
    method: { type: String, required: true },
    completedAt: { type: Date, required: true },
    reports: { type: [serviceReportSchema], default: [] },
    /** kept at least 3 years (Deletion Regulation art. 7/3) */
    retainUntil: { type: Date, required: true },
  },
  { collection: 'destruction_records' },
);
destructionRecordSchema.index({ erasureId: 1 }, { unique: true });
destructionRecordSchema.index({ subjectId: 1 });
rejectLedgerChanges(destructionRecordSchema, 'destruction_records');

/** The log of one periodic destruction run (CON-7). */
const destructionRunSchema = new Schema(
  {
    runId: { type: String, required: true },
    startedAt: { type: Date, required: true },
    completedAt: { type: Date, required: true },
    reports: { type: [serviceReportSchema], default: [] },
    retainUntil: { type: Date, required: true },
  },
  { collection: 'destruction_runs' },
);
destructionRunSchema.index({ runId: 1 }, { unique: true });
destructionRunSchema.index({ startedAt: -1 });
rejectLedgerChanges(destructionRunSchema, 'destruction_runs');

/** A JSON export of a person (ACCESS request) or an organisation (CON-9), downloadable for 30 days. */
const personalDataExportSchema = new Schema(
  {
    subjectKind: { type: String, enum: ['PERSON', 'ORGANIZATION'], required: true },
    subjectId: { type: String, required: true },
    /** who may download it: the user who asked (the person, or the organisation's owner/admin) */
    requestedBy: { type: String, required: true },
    requestId: { type: String, default: null },
    status: { type: String, enum: ['PREPARING', 'READY', 'FAILED'], required: true },
    failure: { type: String, default: null },
    /** the export as a JSON document, once READY */
    content: { type: String, default: null },
    services: { type: [String], default: [] },
    readyAt: { type: Date, default: null },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, collection: 'personal_data_exports' },
);
personalDataExportSchema.index({ subjectId: 1, createdAt: -1 });

/**
 * One key per person for the identifying details kept inside append-only
 * records (IP, user agent, free-text request details). Erasure destroys the
 * key (crypto-shredding): the records stay whole and immutable as proof, and
 * the details in them can no longer be read by anyone.
 */
const subjectKeySchema = new Schema(
  {
    _id: { type: String, required: true }, // userId
    key: { type: Buffer, default: null },
    shreddedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'subject_keys' },
);

export type DestructionRecordDoc = InferSchemaType<typeof destructionRecordSchema> & { _id: Types.ObjectId };
export type DestructionRunDoc = InferSchemaType<typeof destructionRunSchema> & { _id: Types.ObjectId };
export type PersonalDataExportDoc = InferSchemaType<typeof personalDataExportSchema> & { _id: Types.ObjectId };

export function personalDataModels(db: Connection) {
  return {
    DestructionRecord: db.model('DestructionRecord', destructionRecordSchema),
    DestructionRun: db.model('DestructionRun', destructionRunSchema),
    PersonalDataExport: db.model('PersonalDataExport', personalDataExportSchema),
    SubjectKey: db.model('SubjectKey', subjectKeySchema),
  };
}
export type PersonalDataModels = ReturnType<typeof personalDataModels>;
