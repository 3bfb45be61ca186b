import type { Client } from '@temporalio/client';
import { isValidObjectId } from 'mongoose';
import {
  DATA_SUBJECT_REQUEST_ANSWER_DAYS,
  DATA_SUBJECT_REQUEST_SIGNALS,
  TASK_QUEUES,
  dataSubjectRequestWorkflowId,
  type DataSubjectRequestAnsweredPayload,
  type DataSubjectRequestInput,
  type DataSubjectRequestKind,
  type DataSubjectRequestRejectedPayload,
} from '@omurga/workflows';
import type { ConsentModels, DataSubjectRequestDoc, DSR_STATUSES } from './models.ts';

type Status = (typeof DSR_STATUSES)[number];

const DAY_MS = 86_400_000;


/**
 * CON-5: records a request (RECEIVED, due 30 days after receipt, KVKK art. 13)
 * and starts the workflow that keeps its deadline.
 */
export async function submitDataSubjectRequest(
  models: ConsentModels,
  temporal: Client,
  input: { userId: string; kind: DataSubjectRequestKind; details: string | null; now: Date },
): Promise<DataSubjectRequestDoc> {
  const { userId, kind, now } = input;
  const dueAt = new Date(now.getTime() + DATA_SUBJECT_REQUEST_ANSWER_DAYS * DAY_MS);
  const created = await models.DataSubjectRequest.create({ userId, kind, status: 'RECEIVED', details: input.details, receivedAt: now, dueAt });
  const requestId = created._id.toString();
  const workflowInput: DataSubjectRequestInput = {
    requestId,
    userId,
    kind,
    receivedAt: now.toISOString(),
    dueAt: dueAt.toISOString(),
  };
  try {
    await temporal.workflow.start('dataSubjectRequestWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: dataSubjectRequestWorkflowId(requestId),
      args: [workflowInput],
      searchAttributes: { RequestKind: [kind] },
    });
  } catch (error) {
    // Without its workflow nobody would keep the deadline; the person submits again.
    await models.DataSubjectRequest.deleteOne({ _id: created._id });
    throw error;
  }
  return created.toObject() as DataSubjectRequestDoc;
}

/** An operator's step on a request, and the stored status it may be taken from. */
export const OPERATOR_STEPS = {
  verifyIdentity: { from: ['RECEIVED'], signal: DATA_SUBJECT_REQUEST_SIGNALS.identityVerified },
  start: { from: ['IDENTITY_VERIFIED'], signal: DATA_SUBJECT_REQUEST_SIGNALS.workStarted },
  answer: { from: ['IN_PROGRESS'], signal: DATA_SUBJECT_REQUEST_SIGNALS.answered },
  reject: { from: ['RECEIVED', 'IDENTITY_VERIFIED', 'IN_PROGRESS'], signal: DATA_SUBJECT_REQUEST_SIGNALS.rejected },
} as const satisfies Record<string, { from: readonly Status[]; signal: string }>;
export type OperatorStep = keyof typeof OPERATOR_STEPS;

export type StepResult =
  | { ok: true; request: DataSubjectRequestDoc }
  | { ok: false; code: 'DATA_SUBJECT_REQUEST_NOT_FOUND' }
  | { ok: false; code: 'INVALID_TRANSITION'; status: Status };

/**
 * Signals the request's workflow to take an operator's step, after checking it
 * against the stored status. The workflow records the new status through the
 * consent activities, so the request returned is as stored when signalled.
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
  if (!(from as readonly Status[]).includes(request.status)) return { ok: false, code: 'INVALID_TRANSITION', status: request.status };
  const handle = temporal.workflow.getHandle(dataSubjectRequestWorkflowId(requestId));
  await (payload === undefined ? handle.signal(signal) : handle.signal(signal, payload));
  return { ok: true, request };
}
