import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { BREACH_QUERIES, BREACH_SIGNALS, END_USER_REQUEST_SIGNALS, breachWorkflowId, endUserRequestWorkflowId, type BoardNotifiedSignal, type BreachClockInput, type BreachState, type ControllerNotifiedSignal } from '../../src/workflows/contracts/breaches.ts';
import { createTimeSkippingEnvironment, recordingActivities } from '@omurga/workflows/testing';
import type { WebhookEvent } from '@omurga/shared/contracts';
import type { breachClockWorkflow, endUserRequestForwardingWorkflow } from '../../src/workflows/breach-clock.ts';
import { BREACH_TEST_WORKFLOWS_QUEUE, fakeBreachActivities, withBreachWorkers, type RecordedBreachCall } from './breach-workers.ts';
import { DPO_CONTACTS, fakeContactDirectory } from './consent-workers.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

const iso = (ms: number) => new Date(ms).toISOString();
const now = async () => env.currentTimeMs();

/**
 * Each call as [activity, input, hours after `start`]. The hours are whole
 * minutes (floored): a call scheduled at 36h plus the few milliseconds the
 * server takes reads 36, one scheduled a minute early or late does not.
 */
function timeline(calls: RecordedBreachCall[], start: number) {
  return [...calls]
    .sort((a, b) => a.scheduledAt - b.scheduledAt)
    .map((c) => [c.activity, c.input, Math.floor((c.scheduledAt - start) / MINUTE_MS) / 60]);
}

function startBreach(input: BreachClockInput) {
  return env.client.workflow.start<typeof breachClockWorkflow>('breachClockWorkflow', {
    taskQueue: BREACH_TEST_WORKFLOWS_QUEUE,
    workflowId: breachWorkflowId(input.breachId),
    args: [input],
  });
}

describe('breachClockWorkflow (CON-8: KVKK Board within 72 h, controller within 24 h [003 Ek-1 §4.1.5])', () => {
  it('CON-8: a CONTROLLER breach nobody notifies is escalated to the DPO operators at 36 h, 71 h and 72 h and recorded MISSED at 72 h', async () => {
    const consent = fakeBreachActivities();
    const start = await now();
    const dueAt = iso(start + 72 * HOUR_MS);
    const escalation = (stage: string) => ({ breachId: 'br-1', clock: 'BOARD', dueAt, stage, recipients: DPO_CONTACTS });

    const result = await withBreachWorkers(env, consent.activities, async () => {
      const handle = await startBreach({ breachId: 'br-1', detectedAt: iso(start), role: 'CONTROLLER', affectedOrganizationIds: ['org-x'] });
      // A controller's breach has only the Board clock, whatever organisations it touches.
      expect(await handle.query<BreachState>(BREACH_QUERIES.breachState)).toEqual({
        breachId: 'br-1',
        role: 'CONTROLLER',
        detectedAt: iso(start),
        closed: false,
        clocks: [{ clock: 'BOARD', dueAt, status: 'OPEN' }],
      });

      await env.sleep(80 * HOUR_MS);
      await consent.callCount(4);
      expect((await handle.query<BreachState>(BREACH_QUERIES.breachState)).clocks).toEqual([{ clock: 'BOARD', dueAt, status: 'MISSED' }]);
      await handle.signal(BREACH_SIGNALS.closed);
      return handle.result();
    });

    expect(timeline(consent.calls, start)).toEqual([
      ['escalateBreach', escalation('HALF_TIME'), 36],
      ['escalateBreach', escalation('ONE_HOUR_LEFT'), 71],
      ['escalateBreach', escalation('OVERDUE'), 72],
      ['recordBreachClock', { breachId: 'br-1', clock: 'BOARD', status: 'MISSED', at: dueAt }, 72],
    ]);
    expect(result.closed).toBe(true);
    expect(result.clocks).toEqual([{ clock: 'BOARD', dueAt, status: 'MISSED' }]);
  });

  it('CON-8 [003 Ek-1 §4.1.5]: a PROCESSOR breach meets org A at 10 h and the Board at 30 h, misses org B at 24 h', async () => {
    const consent = fakeBreachActivities();
    const start = await now();
    const boardDue = iso(start + 72 * HOUR_MS);
    const controllerDue = iso(start + 24 * HOUR_MS);
    const escalateB = (stage: string) => ({ breachId: 'br-2', clock: 'CONTROLLER', organizationId: 'org-b', dueAt: controllerDue, stage, recipients: DPO_CONTACTS });

    const result = await withBreachWorkers(env, consent.activities, async () => {
      const handle = await startBreach({ breachId: 'br-2', detectedAt: iso(start), role: 'PROCESSOR', affectedOrganizationIds: ['org-a', 'org-b'] });
      expect((await handle.query<BreachState>(BREACH_QUERIES.breachState)).clocks).toEqual([
        { clock: 'BOARD', dueAt: boardDue, status: 'OPEN' },
        { clock: 'CONTROLLER', organizationId: 'org-a', dueAt: controllerDue, status: 'OPEN' },
        { clock: 'CONTROLLER', organizationId: 'org-b', dueAt: controllerDue, status: 'OPEN' },
      ]);

      await env.sleep(10 * HOUR_MS);
      await handle.signal<[ControllerNotifiedSignal]>(BREACH_SIGNALS.controllerNotified, { organizationId: 'org-a', at: iso(start + 10 * HOUR_MS) });
      await consent.callCount(1);

      await env.sleep(20 * HOUR_MS);
      await consent.callCount(5); // org B: 12 h, 23 h, 24 h and its MISSED record
      await handle.signal<[BoardNotifiedSignal]>(BREACH_SIGNALS.boardNotified, { at: iso(start + 30 * HOUR_MS), reference: 'KVKK-2024-0042' });
      await consent.callCount(6);

      // Past the Board's 36 h, 71 h and 72 h marks: nothing more may happen.
      await env.sleep(50 * HOUR_MS);
      await handle.signal(BREACH_SIGNALS.closed);
      return handle.result();
    });

    expect(timeline(consent.calls, start)).toEqual([
      ['recordBreachClock', { breachId: 'br-2', clock: 'CONTROLLER', organizationId: 'org-a', status: 'MET', at: iso(start + 10 * HOUR_MS) }, 10],
      ['escalateBreach', escalateB('HALF_TIME'), 12],
      ['escalateBreach', escalateB('ONE_HOUR_LEFT'), 23],
      ['escalateBreach', escalateB('OVERDUE'), 24],
      ['recordBreachClock', { breachId: 'br-2', clock: 'CONTROLLER', organizationId: 'org-b', status: 'MISSED', at: controllerDue }, 24],
      ['recordBreachClock', { breachId: 'br-2', clock: 'BOARD', status: 'MET', at: iso(start + 30 * HOUR_MS) }, 30],
    ]);
    expect(result).toEqual({
      breachId: 'br-2',
      role: 'PROCESSOR',
      detectedAt: iso(start),
      closed: true,
      clocks: [
        { clock: 'BOARD', dueAt: boardDue, status: 'MET', notifiedAt: iso(start + 30 * HOUR_MS), reference: 'KVKK-2024-0042' },
        { clock: 'CONTROLLER', organizationId: 'org-a', dueAt: controllerDue, status: 'MET', notifiedAt: iso(start + 10 * HOUR_MS) },
        { clock: 'CONTROLLER', organizationId: 'org-b', dueAt: controllerDue, status: 'MISSED' },
      ],
    });
  });

  it('CON-8: a breach recorded 40 h after detection catches up with the half-time escalation once, and closing stops the clock', async () => {
    const consent = fakeBreachActivities();
    const start = await now();
    const detectedAt = start - 40 * HOUR_MS;
    const dueAt = iso(detectedAt + 72 * HOUR_MS);

    const result = await withBreachWorkers(env, consent.activities, async () => {
      const handle = await startBreach({ breachId: 'br-3', detectedAt: iso(detectedAt), role: 'CONTROLLER', affectedOrganizationIds: [] });
      await consent.callCount(1);
      await env.sleep(10 * HOUR_MS);
      await handle.signal(BREACH_SIGNALS.closed);
      return handle.result();
    });

    expect(timeline(consent.calls, start)).toEqual([['escalateBreach', { breachId: 'br-3', clock: 'BOARD', dueAt, stage: 'HALF_TIME', recipients: DPO_CONTACTS }, 0]]);
    expect(result.clocks).toEqual([{ clock: 'BOARD', dueAt, status: 'OPEN' }]);
    expect(result.closed).toBe(true);
  });
});

describe('endUserRequestForwardingWorkflow (CON-8 [003 Ek-1 §5.3]: forwarded to the customer within 48 h)', () => {
  function startForwarding(requestId: string, receivedAt: number, organizationId = 'org-c') {
    return env.client.workflow.start<typeof endUserRequestForwardingWorkflow>('endUserRequestForwardingWorkflow', {
      taskQueue: BREACH_TEST_WORKFLOWS_QUEUE,
      workflowId: endUserRequestWorkflowId(requestId),
      args: [{ requestId, organizationId, receivedAt: iso(receivedAt) }],
    });
  }
  /** Customer org-c has an owner and an admin; any other organisation does not exist. */
  const CUSTOMER_CONTACTS = [
    { email: 'owner@customer.test', locale: 'tr' as const },
    { email: 'admin@customer.test', locale: 'en' as const },
  ];
  const customers = () => fakeContactDirectory({ DPO: DPO_CONTACTS }, { 'org-c': CUSTOMER_CONTACTS });

  it('CON-8 [003 Ek-1 §5.3]: forwards to the customer\'s owners and admins at 0 h; an acknowledgement at 20 h ends it without escalation', async () => {
    const consent = fakeBreachActivities();
    const start = await now();

    const directory = customers();
    const { outcome, closedAt } = await withBreachWorkers(
      env,
      consent.activities,
      async () => {
        const handle = await startForwarding('dsr-1', start);
        await consent.callCount(1);
        await env.sleep(20 * HOUR_MS);
        await handle.signal(END_USER_REQUEST_SIGNALS.forwardingAcknowledged);
        const { outcome } = await handle.result();
        return { outcome, closedAt: (await handle.describe()).closeTime!.getTime() };
      },
      directory.activities,
    );

    expect(outcome).toBe('ACKNOWLEDGED');
    expect(timeline(consent.calls, start)).toEqual([['forwardEndUserRequest', { requestId: 'dsr-1', organizationId: 'org-c', recipients: CUSTOMER_CONTACTS }, 0]]);
    // Closed on the acknowledgement, before the 48 h escalation could be due.
    expect(closedAt).toBeLessThan(start + 48 * HOUR_MS);
  });

  it('CON-8 [003 Ek-1 §5.3]: without an acknowledgement the DPO operators are alerted at 48 h; a late one still ends it', async () => {
    const consent = fakeBreachActivities();
    const hooks = recordingActivities({ publishWebhookEvent: async (_: { event: WebhookEvent }) => ({ deliveries: 0 }) });
    const start = await now();

    const outcome = await withBreachWorkers(
      env,
      consent.activities,
      async () => {
        const handle = await startForwarding('dsr-2', start);
        await consent.callCount(1);
        await env.sleep(60 * HOUR_MS);
        await consent.callCount(2);
        await handle.signal(END_USER_REQUEST_SIGNALS.forwardingAcknowledged);
        return (await handle.result()).outcome;
      },
      { ...customers().activities, ...hooks.activities },
    );
    // Issue 15: the customer's webhooks hear of the request at once and again 12 h before it is due.
    expect(hooks.calls.map((call) => [(call.input as { event: WebhookEvent }).event.type, Math.round((call.scheduledAt - start) / HOUR_MS)])).toEqual([
      ['data_subject_request.received', 0],
      ['data_subject_request.due_soon', 36],
    ]);
    expect((hooks.calls[0]!.input as { event: WebhookEvent }).event).toMatchObject({ id: 'evt_data_subject_request_received_dsr-2', organizationId: 'org-c', data: { requestId: 'dsr-2', dueAt: iso(start + 48 * HOUR_MS) } });

    expect(outcome).toBe('ACKNOWLEDGED_LATE');
    expect(timeline(consent.calls, start)).toEqual([
      ['forwardEndUserRequest', { requestId: 'dsr-2', organizationId: 'org-c', recipients: CUSTOMER_CONTACTS }, 0],
      ['escalateEndUserRequest', { requestId: 'dsr-2', organizationId: 'org-c', dueAt: iso(start + 48 * HOUR_MS), recipients: DPO_CONTACTS }, 48],
    ]);
  });

  it('CON-8 [003 Ek-1 §5.3]: a customer with nobody to write to (unknown organisation) is escalated to the DPO operators at once, not after 48 h', async () => {
    const consent = fakeBreachActivities();
    const start = await now();

    await withBreachWorkers(
      env,
      consent.activities,
      async () => {
        const handle = await startForwarding('dsr-3', start, 'org-gone');
        await consent.callCount(2);
        await handle.signal(END_USER_REQUEST_SIGNALS.forwardingAcknowledged);
        expect((await handle.result()).outcome).toBe('ACKNOWLEDGED_LATE');
      },
      customers().activities,
    );

    expect(timeline(consent.calls, start)).toEqual([
      ['forwardEndUserRequest', { requestId: 'dsr-3', organizationId: 'org-gone', recipients: [] }, 0],
      ['escalateEndUserRequest', { requestId: 'dsr-3', organizationId: 'org-gone', dueAt: iso(start + 48 * HOUR_MS), recipients: DPO_CONTACTS }, 0],
    ]);
  });
});
