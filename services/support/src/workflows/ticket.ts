import { ApplicationFailure, condition, continueAsNew, defineQuery, defineSignal, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { TICKET_QUERIES, TICKET_SIGNALS, type TicketEvent, type TicketSlaState, type TicketWorkflowInput } from './contracts.ts';
import { parseInstant } from '@omurga/shared/workflow';
import { supportActivities } from './support-activities.ts';
import {
  applyTicketEvent,
  nextTicketTimer,
  openTicketClock,
  ticketPolicy,
  ticketSlaState,
  type TicketClock,
  type TicketPolicy,
  type TicketTimer,
} from './ticket-clock.ts';

export const ticketEventSignal = defineSignal<[TicketEvent]>(TICKET_SIGNALS.event);
export const ticketSlaQuery = defineQuery<TicketSlaState>(TICKET_QUERIES.sla);

/** A run continues as new past this many history events (or when the server suggests it). */
export const TICKET_HISTORY_LIMIT = 500;

/** What a run hands to the next one when it continues as new. */
export interface TicketCarriedState {
  clock: TicketClock;
  /** events signalled but not yet applied */
  pendingEvents: TicketEvent[];
}

export type TicketWorkflowRunInput = TicketWorkflowInput & { carried?: TicketCarriedState };

/** An event's instant; a malformed one counts as now rather than failing the workflow. */
function eventInstant(event: TicketEvent): number {
  const ms = Date.parse(event.at);
  return Number.isNaN(ms) ? Date.now() : ms;
}

function policyOf(input: TicketWorkflowInput): TicketPolicy {
  try {
    return ticketPolicy(input);
  } catch (error) {
    throw ApplicationFailure.nonRetryable(error instanceof Error ? error.message : String(error), 'InvalidInput');
  }
}

/**
 * SUP-2/SUP-3/SUP-4: one ticket's SLA clock and auto-close timer, from its
 * opening until it is closed. Started by the support service with ID
 * ticketWorkflowId(ticketId); every change of the ticket arrives as a
 * TICKET_SIGNALS.event signal.
 *
 * - The first response is due `targets.firstResponse` (+ announcement
 *   extensions) of business time after openedAt; a customer reply that finds
 *   nobody waiting starts a `targets.nextResponse` wait. Every due time is
 *   stored with recordSlaDue; each due time is escalated once at
 *   due − warnBefore (WARNING) and once at due (BREACHED).
 * - ON_HOLD pauses the clock keeping the remaining business time, RESUMED
 *   restarts it with that remainder (so the due time moves by the hold's
 *   length in business time) and returns to the status before the hold.
 * - An agent reply answers the wait and starts the auto-close: a warning
 *   `autoCloseWarning` before, then autoCloseTicket `autoCloseAfter` after the
 *   reply, unless the customer replies or the ticket is put on hold first.
 * - CLOSED, or the auto-close, ends the workflow. A reply to a closed
 *   ticket starts it again (signalWithStart, `reopened: true`).
 */
export async function ticketWorkflow(input: TicketWorkflowRunInput): Promise<TicketSlaState> {
  const { ticketId } = input;
  const policy = policyOf(input);
  const clock = input.carried?.clock ?? openTicketClock(parseInstant(input.openedAt, 'openedAt'), policy, input.reopened === true);
  const pending: TicketEvent[] = [...(input.carried?.pendingEvents ?? [])];

  setHandler(ticketEventSignal, (event) => {
    pending.push(event);
  });
  setHandler(ticketSlaQuery, () => ticketSlaState(clock));

  const recordIfChanged = async () => {
    const { responseDueAt, firstResponseDueAt } = ticketSlaState(clock);
    const recorded = clock.recorded;
    if (recorded && recorded.responseDueAt === responseDueAt && recorded.firstResponseDueAt === firstResponseDueAt) return;
    await supportActivities.recordSlaDue({ ticketId, responseDueAt, firstResponseDueAt });
    clock.recorded = { responseDueAt, firstResponseDueAt };
  };

  const fire = async (timer: TicketTimer) => {
    switch (timer.kind) {
      case 'ESCALATE': {
        const wait = clock.wait!;
        wait.escalated.push(timer.stage);
        if (timer.stage === 'BREACHED') {
          if (!wait.escalated.includes('WARNING')) wait.escalated.push('WARNING');
          wait.breached = true;
          clock.breached = true;
        }
        await supportActivities.escalateTicket({ ticketId, stage: timer.stage, dueAt: new Date(timer.dueMs).toISOString() });
        return;
      }
      case 'AUTO_CLOSE_WARNING':
        clock.autoClose!.warned = true;
        await supportActivities.sendAutoCloseWarning({ ticketId, closesAt: new Date(timer.closesAtMs).toISOString() });
        return;
      case 'AUTO_CLOSE': {
        const at = new Date(timer.atMs).toISOString();
        clock.autoClose = null;
        await supportActivities.autoCloseTicket({ ticketId, at });
        // autoCloseTicket is a no-op for a ticket no longer ANSWERED: a reply signalled meanwhile keeps it open.
        if (pending.some((e) => e.kind !== 'CLOSED')) {
          log.info('ticket replied to while auto-closing; it stays open', { ticketId });
          return;
        }
        applyTicketEvent(clock, { kind: 'CLOSED', at }, timer.atMs, policy);
        return;
      }
    }
  };

  const runIsFull = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > TICKET_HISTORY_LIMIT;
  };

  for (;;) {
    await recordIfChanged();
    if (clock.status === 'CLOSED') return ticketSlaState(clock);
    // No await between this check and continueAsNew: events signalled meanwhile are carried.
    if (runIsFull()) return continueAsNew<typeof ticketWorkflow>({ ...input, carried: { clock, pendingEvents: pending } });

    if (pending.length === 0) {
      const timer = nextTicketTimer(clock, policy, Date.now());
      if (!timer) {
        await condition(() => pending.length > 0);
      } else {
        const delay = timer.atMs - Date.now();
        if (delay <= 0 || !(await condition(() => pending.length > 0, delay))) {
          await fire(timer);
          continue;
        }
      }
    }
    const event = pending.shift()!;
    applyTicketEvent(clock, event, eventInstant(event), policy);
  }
}
