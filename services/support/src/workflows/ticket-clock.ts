import {
  addBusinessMilliseconds,
  businessDurationMs,
  businessTimeBetween,
  subtractBusinessTime,
} from '@omurga/shared/business-hours';
import { addDuration, isIsoDuration, isZeroDuration, subtractDuration } from '@omurga/shared/durations';
import type { SlaEscalationStage, TicketEvent, TicketSlaState, TicketWorkflowInput } from './contracts.ts';

/**
 * The ticket's SLA clock and auto-close timer as plain data and pure
 * transitions (SUP-2, SUP-3, SUP-4); ticketWorkflow drives it with signals
 * and timers and carries it across continue-as-new.
 */

export type TicketStatus = TicketSlaState['status'];

/** A response the customer is waiting for from an agent. */
export interface ResponseWait {
  kind: 'FIRST' | 'NEXT';
  /** null while the ticket is on hold */
  dueMs: number | null;
  /** business time left when the clock was paused; null while it runs */
  remainingMs: number | null;
  /** escalation stages already sent for the current dueMs */
  escalated: SlaEscalationStage[];
  /** this wait was breached: it is not escalated again, even with a new due time after a hold */
  breached: boolean;
}

export interface AutoCloseTimer {
  closesAtMs: number;
  warned: boolean;
}

export interface TicketClock {
  status: TicketStatus;
  /** the status a RESUMED returns to */
  statusBeforeHold: TicketStatus | null;
  wait: ResponseWait | null;
  autoClose: AutoCloseTimer | null;
  /** any response of the ticket was ever late */
  breached: boolean;
  /** what recordSlaDue last stored, so it is called only on changes */
  recorded: { responseDueAt: string | null; firstResponseDueAt: string | null } | null;
}

export interface TicketPolicy {
  firstResponseMs: number;
  nextResponseMs: number;
  /** null: escalate only at the breach */
  warnBefore: string | null;
  autoCloseAfter: string;
  /** null: close without a warning */
  autoCloseWarning: string | null;
  extensions: { fromMs: number; toMs: number; extraMs: number }[];
}

export type TicketTimer =
  | { kind: 'ESCALATE'; stage: SlaEscalationStage; atMs: number; dueMs: number }
  | { kind: 'AUTO_CLOSE_WARNING'; atMs: number; closesAtMs: number }
  | { kind: 'AUTO_CLOSE'; atMs: number };

function instant(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${field} is not an ISO-8601 instant: ${value}`);
  return ms;
}

function calendarDuration(value: string, field: string): string {
  if (!isIsoDuration(value)) throw new RangeError(`${field} is not an ISO-8601 duration: ${value}`);
  return value;
}

/** The input's durations, parsed once; a malformed one throws a RangeError. */
export function ticketPolicy(input: TicketWorkflowInput): TicketPolicy {
  const { targets } = input;
  const warnBeforeMs = businessDurationMs(targets.warnBefore);
  const autoCloseWarning = calendarDuration(input.autoCloseWarning, 'autoCloseWarning');
  return {
    firstResponseMs: businessDurationMs(targets.firstResponse),
    nextResponseMs: businessDurationMs(targets.nextResponse),
    warnBefore: warnBeforeMs > 0 ? targets.warnBefore : null,
    autoCloseAfter: calendarDuration(input.autoCloseAfter, 'autoCloseAfter'),
    autoCloseWarning: isZeroDuration(autoCloseWarning) ? null : autoCloseWarning,
    extensions: input.extensions.map((e) => ({
      fromMs: instant(e.from, 'extension from'),
      toMs: instant(e.to, 'extension to'),
      extraMs: businessDurationMs(e.extraBusinessTime),
    })),
  };
}

/**
 * SUP-4 [001 §8.2]: the extra business time of the announcements whose window
 * covers `atMs`, the instant a wait starts. Overlapping announcements add up.
 * The first response starts at openedAt (the service passes only windows
 * covering it); a customer's later reply is extended only if it too falls
 * inside a window.
 */
function extensionMs(policy: TicketPolicy, atMs: number): number {
  return policy.extensions.filter((e) => e.fromMs <= atMs && atMs < e.toMs).reduce((sum, e) => sum + e.extraMs, 0);
}

function runningWait(kind: ResponseWait['kind'], startMs: number, targetMs: number, policy: TicketPolicy): ResponseWait {
  const dueMs = addBusinessMilliseconds(new Date(startMs), targetMs + extensionMs(policy, startMs)).getTime();
  return { kind, dueMs, remainingMs: null, escalated: [], breached: false };
}

/** A new ticket waits for its first response; a reopened one waits for nothing until its start signal is applied. */
export function openTicketClock(openedAtMs: number, policy: TicketPolicy, reopened = false): TicketClock {
  if (reopened) {
    return {
      status: 'ANSWERED',
      statusBeforeHold: null,
      wait: null,
      autoClose: null,
      breached: false,
      // the closed ticket has nothing due stored
      recorded: { responseDueAt: null, firstResponseDueAt: null },
    };
  }
  return {
    status: 'OPEN',
    statusBeforeHold: null,
    wait: runningWait('FIRST', openedAtMs, policy.firstResponseMs, policy),
    autoClose: null,
    breached: false,
    recorded: null,
  };
}

function autoCloseFrom(atMs: number, policy: TicketPolicy): AutoCloseTimer {
  return { closesAtMs: addDuration(atMs, policy.autoCloseAfter), warned: policy.autoCloseWarning === null };
}

/** Applies what an agent or the customer did at `atMs`; events that do not fit the status are ignored. */
export function applyTicketEvent(clock: TicketClock, event: TicketEvent, atMs: number, policy: TicketPolicy): void {
  switch (event.kind) {
    case 'AGENT_REPLIED':
      // Answers whatever was waiting, the first response included; the customer has autoCloseAfter to reply.
      clock.wait = null;
      clock.status = 'ANSWERED';
      clock.statusBeforeHold = null;
      clock.autoClose = autoCloseFrom(atMs, policy);
      return;
    case 'CUSTOMER_REPLIED': {
      clock.autoClose = null;
      // A customer adding to a question not yet answered does not restart (and so extend) its clock.
      if (clock.status === 'ON_HOLD') {
        clock.statusBeforeHold = 'CUSTOMER_REPLY';
        clock.wait ??= { kind: 'NEXT', dueMs: null, remainingMs: policy.nextResponseMs + extensionMs(policy, atMs), escalated: [], breached: false };
        return;
      }
      clock.status = 'CUSTOMER_REPLY';
      clock.wait ??= runningWait('NEXT', atMs, policy.nextResponseMs, policy);
      return;
    }
    case 'ON_HOLD': {
      if (clock.status === 'ON_HOLD') return;
      clock.statusBeforeHold = clock.status;
      clock.status = 'ON_HOLD';
      clock.autoClose = null;
      const wait = clock.wait;
      if (wait && wait.dueMs !== null) {
        wait.remainingMs = businessTimeBetween(new Date(atMs), new Date(wait.dueMs));
        wait.dueMs = null;
      }
      return;
    }
    case 'RESUMED': {
      if (clock.status !== 'ON_HOLD') return;
      clock.status = clock.statusBeforeHold ?? 'OPEN';
      clock.statusBeforeHold = null;
      const wait = clock.wait;
      if (wait && wait.remainingMs !== null) {
        wait.dueMs = addBusinessMilliseconds(new Date(atMs), wait.remainingMs).getTime();
        wait.remainingMs = null;
        wait.escalated = [];
      }
      if (clock.status === 'ANSWERED') clock.autoClose = autoCloseFrom(atMs, policy);
      return;
    }
    case 'CLOSED':
      clock.status = 'CLOSED';
      clock.statusBeforeHold = null;
      clock.wait = null;
      clock.autoClose = null;
      return;
  }
}

/**
 * The next thing due: an escalation of the running wait or a step of the
 * auto-close. A stage whose successor is already due is skipped (a workflow
 * catching up after downtime breaches without warning first).
 */
export function nextTicketTimer(clock: TicketClock, policy: TicketPolicy, nowMs: number): TicketTimer | null {
  const timers: TicketTimer[] = [];
  const wait = clock.wait;
  if (wait && wait.dueMs !== null && !wait.breached) {
    const dueMs = wait.dueMs;
    if (policy.warnBefore !== null && !wait.escalated.includes('WARNING') && dueMs > nowMs) {
      timers.push({ kind: 'ESCALATE', stage: 'WARNING', atMs: subtractBusinessTime(new Date(dueMs), policy.warnBefore).getTime(), dueMs });
    } else if (!wait.escalated.includes('BREACHED')) {
      timers.push({ kind: 'ESCALATE', stage: 'BREACHED', atMs: dueMs, dueMs });
    }
  }
  const autoClose = clock.autoClose;
  if (autoClose) {
    if (!autoClose.warned && policy.autoCloseWarning !== null && autoClose.closesAtMs > nowMs) {
      timers.push({ kind: 'AUTO_CLOSE_WARNING', atMs: subtractDuration(autoClose.closesAtMs, policy.autoCloseWarning), closesAtMs: autoClose.closesAtMs });
    } else {
      timers.push({ kind: 'AUTO_CLOSE', atMs: autoClose.closesAtMs });
    }
  }
  return timers.reduce<TicketTimer | null>((earliest, t) => (earliest === null || t.atMs < earliest.atMs ? t : earliest), null);
}

const isoOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** The query's view: while on hold nothing is due (paused), the remaining time is kept. */
export function ticketSlaState(clock: TicketClock): TicketSlaState {
  return {
    firstResponseDueAt: clock.wait?.kind === 'FIRST' ? isoOrNull(clock.wait.dueMs) : null,
    responseDueAt: isoOrNull(clock.wait?.dueMs),
    breached: clock.breached,
    paused: clock.status === 'ON_HOLD',
    status: clock.status,
  };
}
