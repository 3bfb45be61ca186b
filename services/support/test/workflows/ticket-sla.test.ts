import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { SUPPORT_BUSINESS_HOURS } from '@omurga/shared/business-hours';
import { TICKET_QUERIES, TICKET_SIGNALS, ticketWorkflowId, type TicketEvent, type TicketSlaState, type TicketWorkflowInput } from '../../src/workflows/contracts.ts';
import { createTimeSkippingEnvironment } from '@omurga/workflows/testing';
import type { ticketWorkflow } from '../../src/workflows/ticket.ts';
import { applyTicketEvent, nextTicketTimer, openTicketClock, ticketPolicy, ticketSlaState } from '../../src/workflows/ticket-clock.ts';
import { SUPPORT_TEST_WORKFLOWS_QUEUE, fakeSupportActivities, withSupportWorkers, type RecordedSupportCall } from './support-workers.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const ISTANBUL_OFFSET_MS = 3 * HOUR_MS;

let env: TestWorkflowEnvironment;
/**
 * A test server for each test of the calling describe block. One test's
 * leftovers (a task or timer still on the server when its workers stop) can
 * skip a shared clock far ahead while the next test awaits a result: under a
 * loaded CI it passed the holiday table's last year (2106).
 */
function withOwnTestServer() {
  beforeEach(async () => {
    env = await createTimeSkippingEnvironment();
  });
  afterEach(async () => {
    await env?.teardown();
  });
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Moves the server clock to 10:00 Istanbul of the next day the support desk
 * is open, so a test's arithmetic (10:00 + 3 h = 13:00) holds whatever day it runs.
 */
async function advanceToOpening(): Promise<number> {
  const now = await env.currentTimeMs();
  let midnight = Math.floor((now + ISTANBUL_OFFSET_MS) / DAY_MS) * DAY_MS - ISTANBUL_OFFSET_MS + DAY_MS;
  while (SUPPORT_BUSINESS_HOURS.isClosedDay(new Date(midnight))) midnight += DAY_MS;
  const opening = midnight + 10 * HOUR_MS;
  await env.sleep(opening - now);
  return opening;
}

/** Each call as [activity, input, minutes after `start`] (floored, so the server's few milliseconds do not show). */
function timeline(calls: RecordedSupportCall[], start: number) {
  return [...calls].sort((a, b) => a.scheduledAt - b.scheduledAt).map((c) => [c.activity, c.input, Math.floor((c.scheduledAt - start) / MINUTE_MS)]);
}

function ticketInput(ticketId: string, openedAt: number | string, overrides: Partial<TicketWorkflowInput> = {}): TicketWorkflowInput {
  return {
    ticketId,
    openedAt: typeof openedAt === 'string' ? openedAt : iso(openedAt),
    targets: { firstResponse: 'PT3H', nextResponse: 'PT1H', warnBefore: 'PT30M' },
    extensions: [],
    autoCloseAfter: 'P3D',
    autoCloseWarning: 'P1D',
    ...overrides,
  };
}

function startTicket(input: TicketWorkflowInput) {
  return env.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
    taskQueue: SUPPORT_TEST_WORKFLOWS_QUEUE,
    workflowId: ticketWorkflowId(input.ticketId),
    args: [input],
  });
}

type Handle = Pick<Awaited<ReturnType<typeof startTicket>>, 'signal' | 'query'>;

/** Signals an event that happened at `atMs` (the service passes the instant it stored), by default the server's now. */
const signalEvent = async (handle: Handle, kind: TicketEvent['kind'], atMs?: number) =>
  handle.signal<[TicketEvent]>(TICKET_SIGNALS.event, { kind, at: iso(atMs ?? (await env.currentTimeMs())) });
const sla = (handle: Handle) => handle.query<TicketSlaState>(TICKET_QUERIES.sla);
const due = (ticketId: string, responseDueAt: string | null, first = true) => ({
  ticketId,
  responseDueAt,
  firstResponseDueAt: first ? responseDueAt : null,
});

describe('ticketWorkflow (SUP-3: first response within 3 business hours, 10:00–22:00 Istanbul, holidays excluded)', () => {
  withOwnTestServer();
  it('SUP-3: a ticket opened Friday 21:30 before a public holiday (Sat 1 May 2027) is due Sunday 12:30 Istanbul', async () => {
    const support = fakeSupportActivities();
    const input = ticketInput('t-holiday', '2027-04-30T18:30:00.000Z');
    const dueAt = '2027-05-02T09:30:00.000Z';

    const result = await withSupportWorkers(env, support.activities, async () => {
      const handle = await startTicket(input);
      await support.called('recordSlaDue');
      expect(support.callsOf('recordSlaDue')[0]?.input).toEqual(due('t-holiday', dueAt));
      await signalEvent(handle, 'CLOSED');
      return handle.result();
    });
    expect(result).toEqual({ firstResponseDueAt: null, responseDueAt: null, breached: expect.any(Boolean), paused: false, status: 'CLOSED' });
  });

  it('SUP-3: an unanswered ticket is escalated once with WARNING 30 min before its due time and once with BREACHED at it', async () => {
    const support = fakeSupportActivities();
    const start = await advanceToOpening();
    const dueAt = iso(start + 3 * HOUR_MS);

    await withSupportWorkers(env, support.activities, async () => {
      const handle = await startTicket(ticketInput('t-breach', start));
      expect(await sla(handle)).toEqual({ firstResponseDueAt: dueAt, responseDueAt: dueAt, breached: false, paused: false, status: 'OPEN' });
      await env.sleep(5 * HOUR_MS);
      await support.callCount(3);
      expect(await sla(handle)).toEqual({ firstResponseDueAt: dueAt, responseDueAt: dueAt, breached: true, paused: false, status: 'OPEN' });
      await signalEvent(handle, 'CLOSED');
      await handle.result();
    });

    expect(timeline(support.calls, start)).toEqual([
      ['recordSlaDue', due('t-breach', dueAt), 0],
      ['escalateTicket', { ticketId: 't-breach', stage: 'WARNING', dueAt }, 150],
      ['escalateTicket', { ticketId: 't-breach', stage: 'BREACHED', dueAt }, 180],
      ['recordSlaDue', due('t-breach', null), 300],
    ]);
  });

  it('SUP-3: ON_HOLD pauses the clock and RESUMED moves the due time by the length of the hold', async () => {
    const support = fakeSupportActivities();
    const start = await advanceToOpening();

    await withSupportWorkers(env, support.activities, async () => {
      const handle = await startTicket(ticketInput('t-hold', start, { targets: { firstResponse: 'PT3H', nextResponse: 'PT1H', warnBefore: 'PT0S' } }));
      await env.sleep(30 * MINUTE_MS);
      await signalEvent(handle, 'ON_HOLD', start + 30 * MINUTE_MS);
      await support.callCount(2);
      expect(await sla(handle)).toEqual({ firstResponseDueAt: null, responseDueAt: null, breached: false, paused: true, status: 'ON_HOLD' });

      // On hold past the original due time (13:00): nothing escalates.
      await env.sleep(3 * HOUR_MS);
      await signalEvent(handle, 'RESUMED', start + 210 * MINUTE_MS);
      await support.callCount(3);
      const resumedDue = iso(start + 6 * HOUR_MS); // 13:30 + the 2 h 30 min left
      expect(await sla(handle)).toEqual({ firstResponseDueAt: resumedDue, responseDueAt: resumedDue, breached: false, paused: false, status: 'OPEN' });

      await env.sleep(3 * HOUR_MS);
      await support.callCount(4);
      await signalEvent(handle, 'CLOSED');
      await handle.result();
    });

    expect(timeline(support.calls, start)).toEqual([
      ['recordSlaDue', due('t-hold', iso(start + 3 * HOUR_MS)), 0],
      ['recordSlaDue', due('t-hold', null), 30],
      ['recordSlaDue', due('t-hold', iso(start + 6 * HOUR_MS)), 210],
      ['escalateTicket', { ticketId: 't-hold', stage: 'BREACHED', dueAt: iso(start + 6 * HOUR_MS) }, 360],
      ['recordSlaDue', due('t-hold', null), 390],
    ]);
  });

  it('SUP-3: a hold over the night keeps only the business time left', async () => {
    const support = fakeSupportActivities();
    const start = await advanceToOpening();
    const openedAt = start + 10 * HOUR_MS; // 20:00: due 11:00 the next open day

    await withSupportWorkers(env, support.activities, async () => {
      await env.sleep(10 * HOUR_MS);
      const handle = await startTicket(ticketInput('t-night', openedAt));
      await env.sleep(HOUR_MS);
      await signalEvent(handle, 'ON_HOLD', openedAt + HOUR_MS); // 21:00, 2 business hours left
      await support.callCount(2);
      await env.sleep(2 * HOUR_MS);
      await signalEvent(handle, 'RESUMED', openedAt + 3 * HOUR_MS); // 23:00: the clock restarts at the next 10:00
      await support.callCount(3);
      const state = await sla(handle);
      const nextOpening = new Date(state.responseDueAt!).getTime() - 2 * HOUR_MS;
      expect(new Date(nextOpening + ISTANBUL_OFFSET_MS).getUTCHours()).toBe(10);
      expect(nextOpening).toBeGreaterThan(openedAt);
      await signalEvent(handle, 'CLOSED');
      await handle.result();
    });
  });

  it('SUP-4: an announcement covering the opening extends the first response by its extra business time', async () => {
    const support = fakeSupportActivities();
    const start = await advanceToOpening();
    const extension = { from: iso(start - HOUR_MS), to: iso(start + HOUR_MS), extraBusinessTime: 'PT2H', announcementId: 'ann-1' };

    await withSupportWorkers(env, support.activities, async () => {
      const handle = await startTicket(ticketInput('t-announced', start, { extensions: [extension] }));
      await support.called('recordSlaDue');
      // A customer reply after the window is not extended: agent answers, customer replies at 12:00, due 13:00.
      await env.sleep(2 * HOUR_MS);
      await signalEvent(handle, 'AGENT_REPLIED', start + HOUR_MS);
      await signalEvent(handle, 'CUSTOMER_REPLIED', start + 2 * HOUR_MS);
      await support.callCount(3);
      await signalEvent(handle, 'CLOSED');
      await handle.result();
    });

    expect(support.callsOf('recordSlaDue').map((c) => c.input)).toEqual([
      due('t-announced', iso(start + 5 * HOUR_MS)),
      due('t-announced', null),
      due('t-announced', iso(start + 3 * HOUR_MS), false),
      due('t-announced', null),
    ]);
  });
});

describe('ticketWorkflow auto-close (SUP-2: closed after N days waiting on the customer, with a warning first)', () => {
  withOwnTestServer();
  it('SUP-2: after an agent reply the customer is warned a day before and the ticket closes after 3 days', async () => {
    const support = fakeSupportActivities();
    const start = await advanceToOpening();

    const result = await withSupportWorkers(env, support.activities, async () => {
      const handle = await startTicket(ticketInput('t-close', start));
      await env.sleep(15 * MINUTE_MS);
      await signalEvent(handle, 'AGENT_REPLIED', start + 15 * MINUTE_MS);
      await support.callCount(2);
      expect(await sla(handle)).toEqual({ firstResponseDueAt: null, responseDueAt: null, breached: false, paused: false, status: 'ANSWERED' });
      await env.sleep(4 * DAY_MS);
      return handle.result();
    });

    const replied = start + 15 * MINUTE_MS;
    expect(result).toEqual({ firstResponseDueAt: null, responseDueAt: null, breached: false, paused: false, status: 'CLOSED' });
    expect(timeline(support.calls, start)).toEqual([
      ['recordSlaDue', due('t-close', iso(start + 3 * HOUR_MS)), 0],
      ['recordSlaDue', due('t-close', null), 15],
      ['sendAutoCloseWarning', { ticketId: 't-close', closesAt: iso(replied + 3 * DAY_MS) }, 15 + 2 * 24 * 60],
      ['autoCloseTicket', { ticketId: 't-close', at: iso(replied + 3 * DAY_MS) }, 15 + 3 * 24 * 60],
    ]);
  });

  it('SUP-2: a customer reply cancels the auto-close and starts a next-response wait; the next agent reply restarts it', async () => {
    const support = fakeSupportActivities();
    const start = await advanceToOpening();

    await withSupportWorkers(env, support.activities, async () => {
      const handle = await startTicket(ticketInput('t-reply', start));
      await signalEvent(handle, 'AGENT_REPLIED', start);
      await support.callCount(2);
      await env.sleep(HOUR_MS);
      await signalEvent(handle, 'CUSTOMER_REPLIED', start + HOUR_MS);
      await support.callCount(3);
      expect(await sla(handle)).toEqual({
        firstResponseDueAt: null,
        responseDueAt: iso(start + 2 * HOUR_MS),
        breached: false,
        paused: false,
        status: 'CUSTOMER_REPLY',
      });
      await env.sleep(20 * MINUTE_MS);
      await signalEvent(handle, 'AGENT_REPLIED', start + 80 * MINUTE_MS);
      await support.callCount(4);
      await env.sleep(4 * DAY_MS);
      await handle.result();
    });

    const secondReply = start + 80 * MINUTE_MS;
    expect(timeline(support.calls, start)).toEqual([
      ['recordSlaDue', due('t-reply', iso(start + 3 * HOUR_MS)), 0],
      ['recordSlaDue', due('t-reply', null), 0],
      ['recordSlaDue', due('t-reply', iso(start + 2 * HOUR_MS), false), 60],
      ['recordSlaDue', due('t-reply', null), 80],
      ['sendAutoCloseWarning', { ticketId: 't-reply', closesAt: iso(secondReply + 3 * DAY_MS) }, 80 + 2 * 24 * 60],
      ['autoCloseTicket', { ticketId: 't-reply', at: iso(secondReply + 3 * DAY_MS) }, 80 + 3 * 24 * 60],
    ]);
  });
});

describe('ticketWorkflow reopened (SUP-2: a reply to a closed ticket reopens it)', () => {
  withOwnTestServer();
  it('SUP-3: a reopened ticket waits a next response from the reply, not a first response', async () => {
    const support = fakeSupportActivities();
    const start = await advanceToOpening();

    await withSupportWorkers(env, support.activities, async () => {
      const handle = await env.client.workflow.signalWithStart<typeof ticketWorkflow, [TicketEvent]>('ticketWorkflow', {
        taskQueue: SUPPORT_TEST_WORKFLOWS_QUEUE,
        workflowId: ticketWorkflowId('t-reopened'),
        args: [{ ...ticketInput('t-reopened', start), reopened: true }],
        signal: TICKET_SIGNALS.event,
        signalArgs: [{ kind: 'CUSTOMER_REPLIED', at: iso(start) }],
      });
      await support.called('recordSlaDue');
      expect(await sla(handle)).toEqual({ firstResponseDueAt: null, responseDueAt: iso(start + HOUR_MS), breached: false, paused: false, status: 'CUSTOMER_REPLY' });
      await signalEvent(handle, 'CLOSED');
      await handle.result();
    });

    expect(support.callsOf('recordSlaDue').map((c) => c.input)).toEqual([due('t-reopened', iso(start + HOUR_MS), false), due('t-reopened', null)]);
  });
});

describe('ticketWorkflow history (SUP-3: the timer survives long-lived tickets)', () => {
  withOwnTestServer();
  it('SUP-3: continues as new after many events and keeps the paused clock, then still escalates', async () => {
    const support = fakeSupportActivities();
    const start = await advanceToOpening();
    const HOLDS = 60; // about 7 history events per applied signal: well past TICKET_HISTORY_LIMIT

    await withSupportWorkers(env, support.activities, async () => {
      const handle = await startTicket(ticketInput('t-long', start, { targets: { firstResponse: 'PT3H', nextResponse: 'PT1H', warnBefore: 'PT0S' } }));
      for (let i = 0; i < HOLDS; i++) {
        await signalEvent(handle, 'ON_HOLD', start);
        await signalEvent(handle, 'RESUMED', start);
      }
      await signalEvent(handle, 'ON_HOLD', start);
      // Each hold and resume is recorded, the last hold too.
      await support.callCount(2 * HOLDS + 2);
      const description = await handle.describe();
      expect(description.runId).not.toBe(handle.firstExecutionRunId);
      expect(await sla(handle)).toEqual({ firstResponseDueAt: null, responseDueAt: null, breached: false, paused: true, status: 'ON_HOLD' });

      await env.sleep(HOUR_MS);
      await signalEvent(handle, 'RESUMED', start + HOUR_MS);
      await env.sleep(4 * HOUR_MS);
      await support.called('escalateTicket');
      await signalEvent(handle, 'CLOSED');
      await handle.result();
    });

    // The clock was paused at 10:00 with 3 h left, resumed at 11:00.
    expect(support.callsOf('escalateTicket').map((c) => c.input)).toEqual([{ ticketId: 't-long', stage: 'BREACHED', dueAt: iso(start + 4 * HOUR_MS) }]);
  });
});

describe('ticket clock transitions (SUP-2, SUP-3, SUP-4)', () => {
  // Mon 23 Nov 2026, 10:00 Istanbul: an ordinary open day.
  const opening = Date.parse('2026-11-23T07:00:00Z');
  const policyWith = (overrides: Partial<TicketWorkflowInput> = {}) => ticketPolicy(ticketInput('t-unit', opening, overrides));
  const event = (kind: TicketEvent['kind'], atMs: number): TicketEvent => ({ kind, at: iso(atMs) });

  it('SUP-3: a customer adding to an unanswered ticket does not restart (and so extend) the first-response clock', () => {
    const policy = policyWith();
    const clock = openTicketClock(opening, policy);
    applyTicketEvent(clock, event('CUSTOMER_REPLIED', opening + 2 * HOUR_MS), opening + 2 * HOUR_MS, policy);
    expect(ticketSlaState(clock)).toMatchObject({ firstResponseDueAt: iso(opening + 3 * HOUR_MS), responseDueAt: iso(opening + 3 * HOUR_MS) });
  });

  it('SUP-3: a workflow catching up after its due time breaches without warning first', () => {
    const policy = policyWith();
    const clock = openTicketClock(opening, policy);
    expect(nextTicketTimer(clock, policy, opening)).toEqual({ kind: 'ESCALATE', stage: 'WARNING', atMs: opening + 150 * MINUTE_MS, dueMs: opening + 3 * HOUR_MS });
    expect(nextTicketTimer(clock, policy, opening + 4 * HOUR_MS)).toMatchObject({ stage: 'BREACHED', atMs: opening + 3 * HOUR_MS });
  });

  it('SUP-3: a breached wait held and resumed is not escalated again', () => {
    const policy = policyWith();
    const clock = openTicketClock(opening, policy);
    clock.wait!.breached = true;
    clock.breached = true;
    applyTicketEvent(clock, event('ON_HOLD', opening + 4 * HOUR_MS), opening + 4 * HOUR_MS, policy);
    applyTicketEvent(clock, event('RESUMED', opening + 5 * HOUR_MS), opening + 5 * HOUR_MS, policy);
    expect(nextTicketTimer(clock, policy, opening + 5 * HOUR_MS)).toBeNull();
    expect(ticketSlaState(clock)).toMatchObject({ breached: true, status: 'OPEN', responseDueAt: iso(opening + 5 * HOUR_MS) });
  });

  it('SUP-2: a customer reply during a hold keeps the hold; RESUMED starts the next-response clock and returns to CUSTOMER_REPLY', () => {
    const policy = policyWith();
    const clock = openTicketClock(opening, policy);
    applyTicketEvent(clock, event('AGENT_REPLIED', opening), opening, policy);
    applyTicketEvent(clock, event('ON_HOLD', opening + HOUR_MS), opening + HOUR_MS, policy);
    expect(clock.autoClose).toBeNull();
    applyTicketEvent(clock, event('CUSTOMER_REPLIED', opening + 2 * HOUR_MS), opening + 2 * HOUR_MS, policy);
    expect(ticketSlaState(clock)).toEqual({ firstResponseDueAt: null, responseDueAt: null, breached: false, paused: true, status: 'ON_HOLD' });
    applyTicketEvent(clock, event('RESUMED', opening + 3 * HOUR_MS), opening + 3 * HOUR_MS, policy);
    expect(ticketSlaState(clock)).toEqual({ firstResponseDueAt: null, responseDueAt: iso(opening + 4 * HOUR_MS), breached: false, paused: false, status: 'CUSTOMER_REPLY' });
  });

  it('SUP-2: a ticket answered, held and resumed restarts its auto-close from the resumption', () => {
    const policy = policyWith();
    const clock = openTicketClock(opening, policy);
    applyTicketEvent(clock, event('AGENT_REPLIED', opening), opening, policy);
    applyTicketEvent(clock, event('ON_HOLD', opening + HOUR_MS), opening + HOUR_MS, policy);
    applyTicketEvent(clock, event('RESUMED', opening + DAY_MS), opening + DAY_MS, policy);
    expect(ticketSlaState(clock).status).toBe('ANSWERED');
    expect(nextTicketTimer(clock, policy, opening + DAY_MS)).toEqual({ kind: 'AUTO_CLOSE_WARNING', atMs: opening + 3 * DAY_MS, closesAtMs: opening + 4 * DAY_MS });
  });

  it('SUP-4: a customer reply inside an announcement window gets its extra time; overlapping announcements add up', () => {
    const window = (extra: string) => ({ from: iso(opening - HOUR_MS), to: iso(opening + 8 * HOUR_MS), extraBusinessTime: extra, announcementId: `ann-${extra}` });
    const policy = policyWith({ extensions: [window('PT1H'), window('PT30M')] });
    const clock = openTicketClock(opening, policy);
    expect(ticketSlaState(clock).firstResponseDueAt).toBe(iso(opening + 270 * MINUTE_MS));
    applyTicketEvent(clock, event('AGENT_REPLIED', opening + HOUR_MS), opening + HOUR_MS, policy);
    applyTicketEvent(clock, event('CUSTOMER_REPLIED', opening + 2 * HOUR_MS), opening + 2 * HOUR_MS, policy);
    expect(ticketSlaState(clock).responseDueAt).toBe(iso(opening + 270 * MINUTE_MS));
  });

  it('SUP-3: calendar units are not business time', () => {
    expect(() => policyWith({ targets: { firstResponse: 'P1D', nextResponse: 'PT1H', warnBefore: 'PT0S' } })).toThrow(RangeError);
    expect(() => policyWith({ autoCloseAfter: 'three days' })).toThrow(RangeError);
  });
});

describe('ticketWorkflow input', () => {
  withOwnTestServer();
  it('SUP-3: a malformed target fails the workflow instead of retrying its tasks', async () => {
    const support = fakeSupportActivities();
    await withSupportWorkers(env, support.activities, async () => {
      const handle = await startTicket(ticketInput('t-bad', await env.currentTimeMs(), { targets: { firstResponse: 'P1D', nextResponse: 'PT1H', warnBefore: 'PT0S' } }));
      const failure = await handle.result().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause?.message).toMatch(/P1D/);
    });
    expect(support.calls).toEqual([]);
  });
});
