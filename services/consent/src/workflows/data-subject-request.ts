import { ApplicationFailure, condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import { DATA_SUBJECT_REQUEST_REMINDER_DAYS, DATA_SUBJECT_REQUEST_SIGNALS, DATA_SUBJECT_REQUEST_STATE_QUERY, type DataSubjectRequestAnsweredPayload, type DataSubjectRequestInput, type DataSubjectRequestOutcome, type DataSubjectRequestRejectedPayload, type DataSubjectRequestState, type DataSubjectRequestStatus } from './contracts/requests.ts';
import { parseInstant } from '@omurga/shared/workflow';
import { consentActivities } from './consent-activities.ts';
import { dpoRecipients } from './operator-recipients.ts';

export const identityVerifiedSignal = defineSignal(DATA_SUBJECT_REQUEST_SIGNALS.identityVerified);
export const workStartedSignal = defineSignal(DATA_SUBJECT_REQUEST_SIGNALS.workStarted);
export const requestAnsweredSignal = defineSignal<[DataSubjectRequestAnsweredPayload?]>(DATA_SUBJECT_REQUEST_SIGNALS.answered);
export const requestRejectedSignal = defineSignal<[DataSubjectRequestRejectedPayload]>(DATA_SUBJECT_REQUEST_SIGNALS.rejected);
export const dataSubjectRequestStateQuery = defineQuery<DataSubjectRequestState>(DATA_SUBJECT_REQUEST_STATE_QUERY);

const DAY_MS = 86_400_000;

/** The statuses each status may move to; a signal asking for any other move is ignored. */
const NEXT_STATUSES: Record<DataSubjectRequestStatus, readonly DataSubjectRequestStatus[]> = {
  RECEIVED: ['IDENTITY_VERIFIED', 'REJECTED'],
  IDENTITY_VERIFIED: ['IN_PROGRESS', 'REJECTED'],
  IN_PROGRESS: ['ANSWERED', 'REJECTED'],
  ANSWERED: [],
  REJECTED: [],
};

interface StatusChange {
  status: DataSubjectRequestStatus;
  at: string;
  answerRef?: string;
  reason?: string;
}

/**
 * CON-5 (KVKK art. 11/13): a data-subject request must be answered within 30
 * days of receipt. Signals move it through its statuses, each change recorded
 * by the consent service; the handling operators are reminded on days 20 and
 * 27 after receipt while it is open, and the DPOs are told at the due date.
 * The workflow then keeps waiting for the answer or rejection, however late.
 * Started with ID dataSubjectRequestWorkflowId(requestId).
 */
export async function dataSubjectRequestWorkflow(input: DataSubjectRequestInput): Promise<DataSubjectRequestOutcome> {
  const { requestId, dueAt } = input;
  const receivedAtMs = parseInstant(input.receivedAt, 'receivedAt');
  const dueAtMs = parseInstant(dueAt, 'dueAt');
  if (dueAtMs <= receivedAtMs) throw ApplicationFailure.nonRetryable(`dueAt ${dueAt} is not after receivedAt ${input.receivedAt}`, 'InvalidInput');

  let status: DataSubjectRequestStatus = 'RECEIVED';
  let outcome: DataSubjectRequestOutcome | undefined;
  const unrecorded: StatusChange[] = [];
  const remindersSent: number[] = [];
  let escalated = false;

  const moveTo = (next: DataSubjectRequestStatus, details: Pick<StatusChange, 'answerRef' | 'reason'> = {}) => {
    if (!NEXT_STATUSES[status].includes(next)) return; // out of order, or already closed
    status = next;
    // Workflow time: deterministic, and the server's (skipped) clock under test.
    const at = new Date(Date.now()).toISOString();
    unrecorded.push({ status: next, at, ...details });
    if (next === 'ANSWERED' || next === 'REJECTED') outcome = { status: next, answeredAt: at };
  };
  setHandler(identityVerifiedSignal, () => moveTo('IDENTITY_VERIFIED'));
  setHandler(workStartedSignal, () => moveTo('IN_PROGRESS'));
  setHandler(requestAnsweredSignal, (payload) => moveTo('ANSWERED', payload?.answerRef === undefined ? {} : { answerRef: payload.answerRef }));
  setHandler(requestRejectedSignal, (payload) => moveTo('REJECTED', { reason: payload.reason }));
  setHandler(dataSubjectRequestStateQuery, () => ({ status, dueAt, remindersSent: [...remindersSent], escalated }));

  const closed = () => outcome !== undefined;

  // Signals may arrive while an activity runs, so changes queue up and are recorded in order.
  const recordStatuses = async () => {
    for (;;) {
      await condition(() => unrecorded.length > 0);
      const change = unrecorded.shift()!;
      await consentActivities.recordDataSubjectRequestStatus({ requestId, ...change });
      if (change.status === 'ANSWERED' || change.status === 'REJECTED') return;
    }
  };

  const runDeadlineClock = async () => {
    const checkpoints: { at: number; reminderDay?: number }[] = [
      ...DATA_SUBJECT_REQUEST_REMINDER_DAYS.map((day) => ({ at: receivedAtMs + day * DAY_MS, reminderDay: day })).filter((c) => c.at < dueAtMs),
      { at: dueAtMs },
    ];
    for (const [i, { at, reminderDay }] of checkpoints.entries()) {
      const wait = at - Date.now();
      if (wait > 0 ? await condition(closed, wait) : closed()) return;
      // A request started after a checkpoint had passed (e.g. converted from a ticket, SUP-8) gets only the latest notice due.
      const next = checkpoints[i + 1];
      if (next && next.at <= Date.now()) continue;
      const recipients = await dpoRecipients();
      if (reminderDay === undefined) {
        await consentActivities.escalateDataSubjectRequest({ requestId, dueAt, recipients });
        escalated = true;
      } else {
        await consentActivities.remindDataSubjectRequest({ requestId, day: reminderDay, dueAt, recipients });
        remindersSent.push(reminderDay);
      }
    }
  };

  await Promise.all([recordStatuses(), runDeadlineClock()]);
  return outcome!;
}
