import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

export const TICKET_STATUSES = ['OPEN', 'ANSWERED', 'CUSTOMER_REPLY', 'ON_HOLD', 'CLOSED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;
export const TICKET_DEPARTMENTS = ['TECHNICAL', 'BILLING', 'SALES', 'INSTALLATION', 'ABUSE'] as const;
export const ABUSE_DECISIONS = ['DISMISS', 'WARN', 'SUSPEND_REQUESTED'] as const;

const messageSchema = new Schema({
  body: { type: String, required: true },
  authorId: { type: String, required: true },
  fromOperator: { type: Boolean, required: true },
  /** internal notes are for agents only (SUP-7) */
  internal: { type: Boolean, default: false },
  createdAt: { type: Date, required: true },
});

const eventSchema = new Schema(
  {
    kind: { type: String, required: true },
    at: { type: Date, required: true },
    actorId: { type: String, default: null },
    detail: { type: String, default: null },
  },
  { _id: false },
);

const ticketSchema = new Schema(
  {
    /** DST-<year>-<sequence>; (year, sequence) is claimed by the unique index */
    number: { type: String, required: true },
    year: { type: Number, required: true },
    sequence: { type: Number, required: true },
    organizationId: { type: String, required: true },
    openedBy: { type: String, required: true },
    /** who to e-mail about the ticket, captured at open time */
    openerEmail: { type: String, default: null },
    openerLocale: { type: String, default: 'tr' },
    subject: { type: String, required: true },
    department: { type: String, required: true },
    status: { type: String, enum: TICKET_STATUSES, required: true },
    /** the state a hold returns to */
    statusBeforeHold: { type: String, default: null },
    priority: { type: String, enum: TICKET_PRIORITIES, required: true },
    subscriptionId: { type: String, default: null },
    resourceId: { type: String, default: null },
    messages: { type: [messageSchema], default: [] },
    events: { type: [eventSchema], default: [] },
    firstResponseDueAt: { type: Date, default: null },
    responseDueAt: { type: Date, default: null },
    slaBreached: { type: Boolean, default: false },
    /** the ticketWorkflow input, kept so a signal can start a new run for a reopened ticket */
    slaInput: { type: Schema.Types.Mixed, default: null },
    assigneeId: { type: String, default: null },
    flaggedForAbuse: { type: Boolean, default: false },
    rating: {
      type: new Schema({ rating: Number, comment: String, ratedAt: Date }, { _id: false }),
      default: null,
    },
    closedAt: { type: Date, default: null },
    /** the data-subject request (consent) the ticket was converted into (SUP-8) */
    dataSubjectRequestId: { type: String, default: null },
  },
  { timestamps: true, collection: 'tickets', optimisticConcurrency: true },
);
ticketSchema.index({ number: 1 }, { unique: true });
ticketSchema.index({ year: 1, sequence: 1 }, { unique: true });
ticketSchema.index({ organizationId: 1, _id: -1 });
ticketSchema.index({ status: 1, _id: -1 });

export type TicketDoc = InferSchemaType<typeof ticketSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export type TicketMessageDoc = TicketDoc['messages'][number] & { _id: Types.ObjectId };

/** Per-plan SLA targets (SUP-3): ISO-8601 durations of business time. */
const slaPolicySchema = new Schema(
  {
    planCode: { type: String, required: true },
    firstResponse: { type: String, required: true },
    nextResponse: { type: String, required: true },
    warnBefore: { type: String, required: true },
  },
  { timestamps: true, collection: 'sla_policies' },
);
slaPolicySchema.index({ planCode: 1 }, { unique: true });
export type SlaPolicyDoc = InferSchemaType<typeof slaPolicySchema> & { _id: Types.ObjectId };

const cannedResponseSchema = new Schema(
  {
    title: { type: String, required: true },
    bodyTr: { type: String, required: true },
    bodyEn: { type: String, required: true },
    createdBy: { type: String, required: true },
    deletedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'canned_responses' },
);
export type CannedResponseDoc = InferSchemaType<typeof cannedResponseSchema> & { _id: Types.ObjectId; updatedAt: Date };

const announcementSchema = new Schema(
  {
    titleTr: { type: String, required: true },
    titleEn: { type: String, required: true },
    bodyTr: { type: String, required: true },
    bodyEn: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    extraBusinessTime: { type: String, default: null },
    createdBy: { type: String, required: true },
  },
  { timestamps: true, collection: 'announcements' },
);
announcementSchema.index({ endsAt: 1 });
export type AnnouncementDoc = InferSchemaType<typeof announcementSchema> & { _id: Types.ObjectId };

/** Append-only (SUP-5): operators' decisions on abuse flags are never updated or removed. */
const abuseDecisionSchema = new Schema(
  {
    ticketId: { type: String, required: true },
    organizationId: { type: String, required: true },
    decision: { type: String, enum: ABUSE_DECISIONS, required: true },
    note: { type: String, default: null },
    operatorId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'abuse_decisions' },
);
abuseDecisionSchema.index({ ticketId: 1, at: 1 });
export type AbuseDecisionDoc = InferSchemaType<typeof abuseDecisionSchema> & { _id: Types.ObjectId };

const attachmentSchema = new Schema(
  {
    ticketId: { type: String, required: true },
    organizationId: { type: String, required: true },
    messageId: { type: String, default: null },
    fileName: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    chunkCount: { type: Number, required: true },
    uploadedBy: { type: String, required: true },
    fromOperator: { type: Boolean, required: true },
    /** set once every chunk is stored; incomplete uploads are never served */
    complete: { type: Boolean, default: false },
  },
  { timestamps: true, collection: 'ticket_attachments' },
);
attachmentSchema.index({ ticketId: 1 });
export type AttachmentDoc = InferSchemaType<typeof attachmentSchema> & { _id: Types.ObjectId; createdAt: Date };

const attachmentChunkSchema = new Schema(
  {
    attachmentId: { type: String, required: true },
    n: { type: Number, required: true },
    data: { type: Buffer, required: true },
  },
  { collection: 'ticket_attachment_chunks' },
);
attachmentChunkSchema.index({ attachmentId: 1, n: 1 }, { unique: true });
export type AttachmentChunkDoc = InferSchemaType<typeof attachmentChunkSchema> & { _id: Types.ObjectId };

/** Every ticket number ever given (SUP-1): never erased, so numbers are never reused. Holds no personal data. */
const ticketNumberClaimSchema = new Schema({ year: { type: Number, required: true }, sequence: { type: Number, required: true } }, { collection: 'ticket_number_claims' });
ticketNumberClaimSchema.index({ year: 1, sequence: 1 }, { unique: true });

export function supportModels(db: Connection) {
  return {
    Ticket: db.model('Ticket', ticketSchema),
    TicketNumberClaim: db.model('TicketNumberClaim', ticketNumberClaimSchema),
    SlaPolicy: db.model('SlaPolicy', slaPolicySchema),
    CannedResponse: db.model('CannedResponse', cannedResponseSchema),
    Announcement: db.model('Announcement', announcementSchema),
    AbuseDecision: db.model('AbuseDecision', abuseDecisionSchema),
    Attachment: db.model('TicketAttachment', attachmentSchema),
    AttachmentChunk: db.model('TicketAttachmentChunk', attachmentChunkSchema),
  };
}
export type SupportModels = ReturnType<typeof supportModels>;
