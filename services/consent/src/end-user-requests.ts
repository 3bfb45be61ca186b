import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Schema, isValidObjectId, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { createTranslator } from '@omurga/shared';
import { BREACH_WINDOWS_MS, END_USER_REQUEST_SIGNALS, endUserRequestWorkflowId, type EndUserRequestForwardingInput } from './workflows/contracts/breaches.ts';
import { TASK_QUEUES } from '@omurga/shared/contracts';

/**
 * CON-8 [003 Ek-1 §5.3]: a data-subject request about a customer's own
 * end-users, received by the platform (the processor) and forwarded to that
 * customer (the controller) within 48 hours by endUserRequestForwardingWorkflow.
 * Only a summary is kept: the customer answers the end-user, not the platform.
 */
const endUserRequestSchema = new Schema(
  {
    organizationId: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    /** receivedAt + 48 hours: the customer is to acknowledge it by then */
    dueAt: { type: Date, required: true },
    summary: { type: String, required: true },
    createdBy: { type: String, default: null },
    forwardedAt: { type: Date, default: null },
    /** how many of the customer's owners and admins it was e-mailed to */
    forwardedRecipients: { type: Number, default: null },
    acknowledgedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'end_user_requests' },
);
endUserRequestSchema.index({ receivedAt: -1 });
endUserRequestSchema.index({ organizationId: 1, receivedAt: -1 });

export type EndUserRequestDoc = InferSchemaType<typeof endUserRequestSchema> & { _id: Types.ObjectId };

export const endUserRequestModel = (db: Connection) => db.model('EndUserRequest', endUserRequestSchema);
export type EndUserRequestModel = ReturnType<typeof endUserRequestModel>;

// Stable codes are the contract; texts may change.
export const endUserRequestMessages = createTranslator({
  END_USER_REQUEST_NOT_FOUND: { tr: 'Son kullanıcı başvurusu bulunamadı.', en: 'End-user request not found.' },
  RECEIVED_IN_FUTURE: { tr: 'Alınma zamanı gelecekte olamaz.', en: 'The time of receipt cannot be in the future.' },
});

export const SUMMARY_MAX = 2000;

export type EndUserRequestResult = { ok: true; request: EndUserRequestDoc } | { ok: false; code: string; field: string[] };
const fail = (code: string, field: string[]): EndUserRequestResult => ({ ok: false, code, field });

export async function findEndUserRequest(model: EndUserRequestModel, id: string): Promise<EndUserRequestDoc | null> {
  return isValidObjectId(id) ? model.findById(id).lean<EndUserRequestDoc>() : null;
}

/** Records the request and starts the workflow that forwards it to the customer and watches the 48 hours. */
export async function forwardEndUserRequest(
  model: EndUserRequestModel,
  temporal: Client,
  input: { organizationId: string; receivedAt: Date; summary: string; createdBy: string; now: Date },
): Promise<EndUserRequestResult> {
  const summary = input.summary.trim();
  if (!isValidObjectId(input.organizationId)) return fail('INVALID_VALUE', ['input', 'organizationId']);
  if (Number.isNaN(input.receivedAt.getTime())) return fail('INVALID_VALUE', ['input', 'receivedAt']);
  if (input.receivedAt > input.now) return fail('RECEIVED_IN_FUTURE', ['input', 'receivedAt']);
  if (!summary) return fail('REQUIRED', ['input', 'summary']);
  if (summary.length > SUMMARY_MAX) return fail('TOO_LONG', ['input', 'summary']);

  const created = await model.create({
    organizationId: input.organizationId,
    receivedAt: input.receivedAt,
    dueAt: new Date(input.receivedAt.getTime() + BREACH_WINDOWS_MS.END_USER_FORWARDING),
    summary,
    createdBy: input.createdBy,
  });
  const requestId = created._id.toString();
  const workflowInput: EndUserRequestForwardingInput = { requestId, organizationId: input.organizationId, receivedAt: input.receivedAt.toISOString() };
  try {
    await temporal.workflow.start('endUserRequestForwardingWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: endUserRequestWorkflowId(requestId),
      args: [workflowInput],
    });
  } catch (error) {
    // Without its workflow the request would never be forwarded; the DPO enters it again.
    await model.deleteOne({ _id: created._id });
    throw error;
  }
  return { ok: true, request: created.toObject() as EndUserRequestDoc };
}

/** The customer has confirmed receipt; the workflow stops waiting (and escalating). */
export async function acknowledgeEndUserRequest(model: EndUserRequestModel, temporal: Client, id: string, now: Date): Promise<EndUserRequestResult> {
  const request = await findEndUserRequest(model, id);
  if (!request) return fail('END_USER_REQUEST_NOT_FOUND', ['id']);
  try {
    await temporal.workflow.getHandle(endUserRequestWorkflowId(id)).signal(END_USER_REQUEST_SIGNALS.forwardingAcknowledged);
  } catch (error) {
    // A finished workflow was acknowledged before.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  await model.updateOne({ _id: id, acknowledgedAt: null }, { $set: { acknowledgedAt: now } });
  return { ok: true, request: (await findEndUserRequest(model, id))! };
}

export async function listEndUserRequests(model: EndUserRequestModel, organizationId: string | null): Promise<EndUserRequestDoc[]> {
  const filter = organizationId == null ? {} : { organizationId };
  return model.find(filter).sort({ receivedAt: -1, _id: 1 }).lean<EndUserRequestDoc[]>();
}
