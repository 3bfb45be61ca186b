import type { Client } from '@temporalio/client';
import { isValidObjectId } from 'mongoose';
import { DATA_SUBJECT_REQUEST_ANSWER_DAYS, DATA_SUBJECT_REQUEST_SIGNALS, DATA_SUBJECT_REQUEST_STATE_QUERY, dataSubjectRequestWorkflowId, type DataSubjectRequestAnsweredPayload, type DataSubjectRequestInput, type DataSubjectRequestRejectedPayload, type DataSubjectRequestState } from './workflows/contracts/requests.ts';
import { TASK_QUEUES, type DataSubjectRequestKind } from '@omurga/shared/contracts';
import { startWorkflowOnce } from '@omurga/shared/temporal';
import type { ConsentModels, DataSubjectRequestDoc, DSR_STATUSES } from './models.ts';
import { requestResultReady, startRequestWork } from './personal-data/request-work.ts';
import { subjectKeys } from './personal-data/subject-keys.ts';

type Status = (typeof DSR_STATUSES)[number];

const DAY_MS = 86_400_000;

/**
 * CON-5: records a request (RECEIVED, due 30 days after receipt, KVKK art. 13)
 * and starts the workflow that keeps its deadline. `now` is when the request
 * was received; a request converted from a ticket (SUP-8) passes the ticket's
 * opening time, its own `requestId` (derived from the ticket) and the ticket.
 */
export async function submitDataSubjectRequest(
  models: ConsentModels,
  temporal: Client,
  input: { userId: string; kind: DataSubjectRequestKind; details: string | null; now: Date; requestId?: string; sourceTicketId?: string },
): Promise<DataSubjectRequestDoc> {
  const { userId, kind, now } = input;
  const dueAt = new Date(now.getTime() + DATA_SUBJECT_REQUEST_ANSWER_DAYS * DAY_MS);
  // The free text may name anyone: sealed with the person's key, so erasure makes it unreadable (CON-6).
  const details = await subjectKeys(models).seal(userId, input.details);
  const created = await models.DataSubjectRequest.create({
    ...(input.requestId ? { _id: input.requestId } : {}),
    userId,
    kind,
    status: 'RECEIVED',
    details,
    receivedAt: now,
    dueAt,
    sourceTicketId: input.sourceTicketId ?? null,
  });
  const request = created.toObject() as DataSubjectRequestDoc;
  try {
    await startDataSubjectRequestWorkflow(temporal, request);
  } catch (error) {
    // Without its workflow nobody would keep the deadline; the person submits again.
    await models.DataSubjectRequest.deleteOne({ _id: created._id });
    throw error;
  }
  return request;
}

/**
 * Starts the request's dataSubjectRequestWorkflow. With `once`, a workflow
 * that already ran under the request's ID (still open or closed) is left as it
 * is: for re-checking a request recorded by an earlier, interrupted attempt.
 */
export async function startDataSubjectRequestWorkflow(
  temporal: Client,
  request: Pick<DataSubjectRequestDoc, '_id' | 'userId' | 'kind' | 'receivedAt' | 'dueAt'>,
  once = false,
): Promise<void> {
  const requestId = request._id.toString();
  const workflowInput: DataSubjectRequestInput = {
    requestId,
    userId: request.userId,
    kind: request.kind,
    receivedAt: request.receivedAt.toISOString(),
    dueAt: request.dueAt.toISOString(),
  };
  const options = { workflowId: dataSubjectRequestWorkflowId(requestId), args: [workflowInput], searchAttributes: { RequestKind: [request.kind] } };
  if (once) await startWorkflowOnce(temporal, 'dataSubjectRequestWorkflow', { ...options, workflowIdReusePolicy: 'REJECT_DUPLICATE' });
  else await temporal.workflow.start('dataSubjectRequestWorkflow', { ...options, taskQueue: TASK_QUEUES.workflows });
}

/** Appends a request event once per key (a retry finds it there). */
export async function appendRequestEvent(models: ConsentModels, requestId: string, key: string, event: Record<string, unknown>): Promise<void> {
  await models.DataSubjectRequestEvent.updateOne({ requestId, key }, { $setOnInsert: event }, { upsert: true });
}

/**
 * Stores a status change of a request and its event, once per status: the
 * operator's step records it as it answers, and the request's workflow records
 * the same change again (a no-op then). The first record's time stands.
 */
export async function recordRequestStatus(
  models: ConsentModels,
  change: { requestId: string; status: Status; at: string; answerRef?: string; reason?: string },
): Promise<void> {
  const { requestId, status, answerRef, reason } = change;
  const when = new Date(change.at);
  const closed = status === 'ANSWERED' || status === 'REJECTED';
  // The event first: whoever sees the new status also finds its event.
  await appendRequestEvent(models, requestId, `STATUS:${status}`, { kind: 'STATUS_CHANGED', status, at: when, answerRef: answerRef ?? null, reason: reason ?? null });
  await models.DataSubjectRequest.updateOne(
    { _id: requestId },
    { $set: { status, ...(answerRef === undefined ? {} : { answerRef }), ...(reason === undefined ? {} : { rejectionReason: reason }) } },
  );
  if (closed) await models.DataSubjectRequest.updateOne({ _id: requestId, answeredAt: null }, { $set: { answeredAt: when } });
}

/** An operator's step on a request, the statuses it may be taken from, and the status it leads to. */
export const OPERATOR_STEPS = {
  verifyIdentity: { from: ['RECEIVED'], to: 'IDENTITY_VERIFIED', signal: DATA_SUBJECT_REQUEST_SIGNALS.identityVerified },
  start: { from: ['IDENTITY_VERIFIED'], to: 'IN_PROGRESS', signal: DATA_SUBJECT_REQUEST_SIGNALS.workStarted },
  answer: { from: ['IN_PROGRESS'], to: 'ANSWERED', signal: DATA_SUBJECT_REQUEST_SIGNALS.answered },
  reject: { from: ['RECEIVED', 'IDENTITY_VERIFIED', 'IN_PROGRESS'], to: 'REJECTED', signal: DATA_SUBJECT_REQUEST_SIGNALS.rejected },
} as const satisfies Record<string, { from: readonly Status[]; to: Status; signal: string }>;
export type OperatorStep = keyof typeof OPERATOR_STEPS;

export type StepResult =
  | { ok: true; request: DataSubjectRequestDoc }
  | { ok: false; code: 'DATA_SUBJECT_REQUEST_NOT_FOUND' }
  | { ok: false; code: 'INVALID_TRANSITION'; status: Status }
  | { ok: false; code: 'RESULT_NOT_READY' };

/**
 * Signals the request's workflow to take an operator's step, after checking it
 * against the workflow's own status (the stored one is the fallback when the
 * workflow cannot be asked), then records the new status at once, so the
 * answer shows the state the step caused (the workflow records the same).
 */
export async function takeOperatorStep(
  models: ConsentModels,
  temporal: Client,
  requestId: string,
  step: OperatorStep,
  payload?: DataSubjectRequestAnsweredPayload | DataSubjectRequestRejectedPayload,
): Promise<StepResult> {
  const request = isValidObjectId(requestId) ? await models.DataSubjectRequest.findById(requestId).lean<DataSubjectRequestDoc>() : null;
  if (!request) return { ok: false, code: 'DATA_SUBJECT_REQUEST_NOT_FOUND' };
  const { from, signal } = OPERATOR_STEPS[step];
  const handle = temporal.workflow.getHandle(dataSubjectRequestWorkflowId(requestId));
  const status = await handle
    .query<DataSubjectRequestState>(DATA_SUBJECT_REQUEST_STATE_QUERY)
    .then((state) => state.status as Status)
    .catch(() => request.status);
  if (!(from as readonly Status[]).includes(status)) return { ok: false, code: 'INVALID_TRANSITION', status };
  // ACCESS and ERASURE requests carry work: started with the request, and done before the answer.
  if (step === 'start') await startRequestWork(models, temporal, request);
  if (step === 'answer' && !(await requestResultReady(models, request))) return { ok: false, code: 'RESULT_NOT_READY' };
  await (payload === undefined ? handle.signal(signal) : handle.signal(signal, payload));
  const answerRef = payload && 'answerRef' in payload ? payload.answerRef : undefined;
  const reason = payload && 'reason' in payload ? payload.reason : undefined;
  await recordRequestStatus(models, { requestId, status: OPERATOR_STEPS[step].to, at: new Date().toISOString(), ...(answerRef === undefined ? {} : { answerRef }), ...(reason === undefined ? {} : { reason }) });
  const stepped = await models.DataSubjectRequest.findById(requestId).lean<DataSubjectRequestDoc>();
  return { ok: true, request: stepped ?? request };
}
