import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

export const TICKET_STATUSES = ['OPEN', 'ANSWERED', 'CUSTOMER_REPLY', 'ON_HOLD', 'CLOSED'] as const;
export const TICKET_PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;

const messageSchema = new Schema({
  body: { type: String, required: true },
  authorId: { type: String, required: true },
  fromOperator: { type: Boolean, required: true },
  /** internal notes are for agents only (SUP-7) */
  internal: { type: Boolean, default: false },
  createdAt: { type: Date, required: true },
});

const ticketSchema = new Schema(
  {
    number: { type: String, required: true },
    organizationId: { type: String, required: true },
    openedBy: { type: String, required: true },
    subject: { type: String, required: true },
    department: { type: String, required: true },
    status: { type: String, enum: TICKET_STATUSES, required: true },
    priority: { type: String, enum: TICKET_PRIORITIES, required: true },
    messages: { type: [messageSchema], default: [] },
    firstResponseDueAt: { type: Date, default: null },
    slaBreached: { type: Boolean, default: false },
  },
  { timestamps: true, collection: 'tickets', optimisticConcurrency: true },
);
ticketSchema.index({ number: 1 }, { unique: true });
ticketSchema.index({ organizationId: 1, _id: -1 });

export type TicketDoc = InferSchemaType<typeof ticketSchema> & { _id: Types.ObjectId };

export function supportModels(db: Connection) {
  return { Ticket: db.model('Ticket', ticketSchema) };
}
export type SupportModels = ReturnType<typeof supportModels>;
