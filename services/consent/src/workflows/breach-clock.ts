import { condition, defineQuery, defineSignal, log, setHandler } from '@temporalio/workflow';
import { BREACH_QUERIES, BREACH_SIGNALS, BREACH_WINDOWS_MS, END_USER_REQUEST_SIGNALS, type BoardNotifiedSignal, type BreachClockInput, type BreachClockKind, type BreachClockState, type BreachEscalationStage, type BreachState, type ControllerNotifiedSignal, type EndUserRequestForwardingInput, type EndUserRequestOutcome } from './contracts/breaches.ts';
import { webhookEventId, type WebhookEventType } from '@omurga/shared/contracts';
import { emitWebhookEvent, parseInstant } from '@omurga/shared/workflow';
import { consentActivities } from './consent-activities.ts';
import { customerPrivacyContacts, dpoRecipients } from './operator-recipients.ts';

const HOUR_MS = 3_600_000;

export const boardNotifiedSignal = defineSignal<[BoardNotifiedSignal]>(BREACH_SIGNALS.boardNotified);
export const controllerNotifiedSignal = defineSignal<[ControllerNotifiedSignal]>(BREACH_SIGNALS.controllerNotified);
export const breachClosedSignal = defineSignal(BREACH_SIGNALS.closed);
export const breachStateQuery = defineQuery<BreachState>(BREACH_QUERIES.breachState);
export const forwardingAcknowledgedSignal = defineSignal(END_USER_REQUEST_SIGNALS.forwardingAcknowledged);

interface Clock {
  state: BreachClockState;
  dueAtMs: number;
}

/** The instants a still-open clock is escalated at: half the window, one hour left, the deadline. */
function escalationSchedule(startMs: number, dueAtMs: number): { stage: BreachEscalationStage; at: number }[] {
  return [
    { stage: 'HALF_TIME', at: startMs + (dueAtMs - startMs) / 2 },
    { stage: 'ONE_HOUR_LEFT', at: dueAtMs - HOUR_MS },
    { stage: 'OVERDUE', at: dueAtMs },
  ];
}

/** A notification instant from a signal; a malformed one counts as now rather than failing the workflow. */
function signalInstant(at: string): number {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? Date.now() : ms;
}

/**
 * CON-8: a breach record starts a 72-hour clock to notify the KVKK Board
 * (decision 2019/10) and, when the platform is the processor, a 24-hour clock
 * per affected customer [003 Ek-1 §4.1.5]. Each open clock is escalated to
 * the DPO operators at half time, with one hour left and at the deadline;
 * its outcome (MET or MISSED) is written to the register. The workflow runs
 * until the DPO closes the register entry, so late notifications are still
 * recorded in its state. Started with ID breachWorkflowId(breachId).
 */
export async function breachClockWorkflow(input: BreachClockInput): Promise<BreachState> {
  const { breachId, detectedAt, role } = input;
  const detectedAtMs = parseInstant(detectedAt, 'detectedAt');
  let closed = false;

  const clock = (kind: BreachClockKind, windowMs: number, organizationId?: string): Clock => {
    const dueAtMs = detectedAtMs + windowMs;
    const state: BreachClockState = { clock: kind, organizationId, dueAt: new Date(dueAtMs).toISOString(), status: 'OPEN' };
    return { state, dueAtMs };
  };
  const boardClock = clock('BOARD', BREACH_WINDOWS_MS.BOARD);
  const controllerClocks =
    role === 'PROCESSOR' ? [...new Set(input.affectedOrganizationIds)].map((id) => clock('CONTROLLER', BREACH_WINDOWS_MS.CONTROLLER, id)) : [];
  const clocks = [boardClock, ...controllerClocks];

  // Only an on-time notification meets a clock; a late one is kept in the state, the clock stays MISSED
  // (or, if the deadline timer has not fired yet, becomes MISSED when it does). The first notification wins.
  const notify = (target: Clock, atMs: number, reference?: string) => {
    if (target.state.notifiedAt !== undefined) return;
    target.state.notifiedAt = new Date(atMs).toISOString();
    if (reference !== undefined) target.state.reference = reference;
    if (target.state.status === 'OPEN' && atMs <= target.dueAtMs) target.state.status = 'MET';
  };
  setHandler(boardNotifiedSignal, ({ at, reference }) => notify(boardClock, signalInstant(at), reference));
  setHandler(controllerNotifiedSignal, ({ organizationId, at }) => {
    const target = controllerClocks.find((c) => c.state.organizationId === organizationId);
    if (target) notify(target, signalInstant(at));
    else log.warn('controllerNotified for an organisation without a controller clock', { breachId, organizationId });
  });
  setHandler(breachClosedSignal, () => {
    closed = true;
  });
  const snapshot = (): BreachState => ({ breachId, role, detectedAt, closed, clocks: clocks.map((c) => ({ ...c.state })) });
  setHandler(breachStateQuery, snapshot);

  async function runClock({ state, dueAtMs }: Clock): Promise<void> {
    const { clock: kind, organizationId, dueAt } = state;
    const stages = escalationSchedule(detectedAtMs, dueAtMs);
    for (const [i, { stage, at }] of stages.entries()) {
      // A breach recorded late catches up with the latest stage already due, not with each one.
      const next = stages[i + 1];
      if (next && next.at <= Date.now()) continue;
      if (await condition(() => state.status !== 'OPEN' || closed, Math.max(0, at - Date.now()))) break;
      // Set before escalating, so a notification arriving meanwhile cannot turn a missed clock into a met one.
      if (stage === 'OVERDUE') state.status = 'MISSED';
      await consentActivities.escalateBreach({ breachId, clock: kind, organizationId, dueAt, stage, recipients: await dpoRecipients() });
    }
    if (state.status === 'OPEN') return; // closed before the clock resolved
    await consentActivities.recordBreachClock({
      breachId,
      clock: kind,
      organizationId,
      status: state.status,
      at: state.status === 'MET' ? state.notifiedAt! : dueAt,
    });
  }

  const runs = Promise.all(clocks.map(runClock));
  await condition(() => closed);
  await runs;
  return snapshot();
}

/** data_subject_request.due_soon goes out this long before an unacknowledged forwarded request is due. */
const END_USER_REQUEST_DUE_SOON_MS = 12 * 3_600_000;

/**
 * CON-8 [003 Ek-1 §5.3]: a data-subject request about a customer's own
 * end-users is forwarded to that customer right away; if the customer has not
 * acknowledged it within 48 hours of its receipt, the DPO operators are
 * alerted (at once when the customer has no owner or admin to write to),
 * and the workflow waits on for the acknowledgement.
 * Started with ID endUserRequestWorkflowId(requestId).
 */
export async function endUserRequestForwardingWorkflow(input: EndUserRequestForwardingInput): Promise<{ outcome: EndUserRequestOutcome }> {
  const { requestId, organizationId } = input;
  const dueAtMs = parseInstant(input.receivedAt, 'receivedAt') + BREACH_WINDOWS_MS.END_USER_FORWARDING;
  let acknowledged = false;
  setHandler(forwardingAcknowledgedSignal, () => {
    acknowledged = true;
  });

  const forwarded = await consentActivities.forwardEndUserRequest({ requestId, organizationId, recipients: await customerPrivacyContacts(organizationId) });
  // Issue 15: the customer's (and its partner's) webhooks hear of it, and again when its deadline nears unacknowledged.
  const tell = (type: WebhookEventType) =>
    emitWebhookEvent({ id: webhookEventId(type, requestId), type, organizationId, occurredAt: new Date().toISOString(), data: { requestId, receivedAt: input.receivedAt, dueAt: new Date(dueAtMs).toISOString() } });
  await tell('data_subject_request.received');
  // With nobody at the customer to write to, the DPO is alerted at once rather than after 48 hours.
  if (forwarded.recipients > 0) {
    if (await condition(() => acknowledged, Math.max(0, dueAtMs - END_USER_REQUEST_DUE_SOON_MS - Date.now()))) return { outcome: 'ACKNOWLEDGED' };
    await tell('data_subject_request.due_soon');
  }
  const wait = forwarded.recipients === 0 ? 0 : Math.max(0, dueAtMs - Date.now());
  if (await condition(() => acknowledged, wait)) return { outcome: 'ACKNOWLEDGED' };

  const dueAt = new Date(dueAtMs).toISOString();
  await consentActivities.escalateEndUserRequest({ requestId, organizationId, dueAt, recipients: await dpoRecipients() });
  await condition(() => acknowledged);
  return { outcome: 'ACKNOWLEDGED_LATE' };
}
