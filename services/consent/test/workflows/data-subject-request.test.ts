import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DATA_SUBJECT_REQUEST_SIGNALS, DATA_SUBJECT_REQUEST_STATE_QUERY, dataSubjectRequestWorkflowId, type DataSubjectRequestInput, type DataSubjectRequestState } from '../../src/workflows/contracts/requests.ts';
import { createTimeSkippingEnvironment, TEST_WORKFLOWS_QUEUE, type RecordedActivityCall } from '@omurga/workflows/testing';
import type { dataSubjectRequestWorkflow } from '../../src/workflows/data-subject-request.ts';
import { DPO_CONTACTS, fakeConsentRequestActivities, fakeContactDirectory, withConsentWorkers } from './consent-workers.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WORKFLOWS_PATH = fileURLToPath(new URL('../../src/workflows/data-subject-request.ts', import.meta.url));

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

/** A request received `daysAgo` days before now (server time), due 30 days after receipt (KVKK art. 13). */
async function dataSubjectRequest(requestId: string, daysAgo = 0): Promise<DataSubjectRequestInput> {
  const receivedAt = (await env.currentTimeMs()) - daysAgo * DAY_MS;
  return {
    requestId,
    userId: `user-${requestId}`,
    kind: 'ACCESS',
    receivedAt: new Date(receivedAt).toISOString(),
    dueAt: new Date(receivedAt + 30 * DAY_MS).toISOString(),
  };
}

function startRequest(input: DataSubjectRequestInput) {
  return env.client.workflow.start<typeof dataSubjectRequestWorkflow>('dataSubjectRequestWorkflow', {
    taskQueue: TEST_WORKFLOWS_QUEUE,
    workflowId: dataSubjectRequestWorkflowId(input.requestId),
    args: [input],
  });
}

/** Skips the server's clock to `day` days after receipt. */
async function skipToDay(input: DataSubjectRequestInput, day: number) {
  await env.sleep(Date.parse(input.receivedAt) + day * DAY_MS - (await env.currentTimeMs()));
}

/** Polls the query until `done` holds: an activity's completion may still be on its way to the workflow. */
async function stateWhen(handle: WorkflowHandle, done: (state: DataSubjectRequestState) => boolean) {
  for (let polls = 0; ; polls++) {
    const state = await handle.query<DataSubjectRequestState>(DATA_SUBJECT_REQUEST_STATE_QUERY);
    if (done(state) || polls === 250) return state; // after ~5 s, let the caller's expectation report the state
    await delay(20);
  }
}

/**
 * Each call as [activity, input, days after receipt]. The day is measured to
 * the minute, so 20 means "within the first minute of day 20", not any time on it.
 */
function callDays<A>(calls: RecordedActivityCall<A>[], input: DataSubjectRequestInput) {
  return calls.map((c) => [c.activity, c.input, Math.floor((c.scheduledAt - Date.parse(input.receivedAt)) / MINUTE_MS) / (DAY_MS / MINUTE_MS)]);
}

/** Days after receipt of an ISO-8601 instant, to the minute (like callDays). */
function dayOf(input: DataSubjectRequestInput, iso: string) {
  return Math.floor((Date.parse(iso) - Date.parse(input.receivedAt)) / MINUTE_MS) / (DAY_MS / MINUTE_MS);
}

describe('dataSubjectRequestWorkflow (CON-5: KVKK art. 11 requests answered within 30 days, art. 13)', () => {
  it('CON-5: an untouched request is reminded on days 20 and 27, escalated to the DPO on day 30 (each sent to the DPO operators), and still closes on a late answer (day 31)', async () => {
    const consent = fakeConsentRequestActivities();
    const input = await dataSubjectRequest('dsr-late');
    const { requestId, dueAt } = input;

    const result = await withConsentWorkers(
      env,
      consent.activities,
      async () => {
        const handle = await startRequest(input);
        expect(await handle.query<DataSubjectRequestState>(DATA_SUBJECT_REQUEST_STATE_QUERY)).toEqual({
          status: 'RECEIVED',
          dueAt,
          remindersSent: [],
          escalated: false,
        });

        await skipToDay(input, 31);
        await consent.called('escalateDataSubjectRequest');
        // Escalation does not close the request: it stays RECEIVED and the workflow keeps waiting.
        expect(await stateWhen(handle, (s) => s.escalated)).toEqual({ status: 'RECEIVED', dueAt, remindersSent: [20, 27], escalated: true });
        expect((await handle.describe()).status.name).toBe('RUNNING');

        // An answer before identity verification and work is out of order and ignored (no status recorded for it).
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.answered, { answerRef: 'too-early' });
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.identityVerified);
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.workStarted);
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.answered, { answerRef: 'doc-1' });
        const outcome = await handle.result();
        expect(await handle.query<DataSubjectRequestState>(DATA_SUBJECT_REQUEST_STATE_QUERY)).toEqual({
          status: 'ANSWERED',
          dueAt,
          remindersSent: [20, 27],
          escalated: true,
        });
        return outcome;
      },
      WORKFLOWS_PATH,
    );

    expect(result.status).toBe('ANSWERED');
    expect(dayOf(input, result.answeredAt)).toBe(31);
    expect(callDays(consent.calls, input)).toEqual([
      ['remindDataSubjectRequest', { requestId, day: 20, dueAt, recipients: DPO_CONTACTS }, 20],
      ['remindDataSubjectRequest', { requestId, day: 27, dueAt, recipients: DPO_CONTACTS }, 27],
      ['escalateDataSubjectRequest', { requestId, dueAt, recipients: DPO_CONTACTS }, 30],
      ['recordDataSubjectRequestStatus', { requestId, status: 'IDENTITY_VERIFIED', at: expect.any(String) }, 31],
      ['recordDataSubjectRequestStatus', { requestId, status: 'IN_PROGRESS', at: expect.any(String) }, 31],
      ['recordDataSubjectRequestStatus', { requestId, status: 'ANSWERED', at: result.answeredAt, answerRef: 'doc-1' }, 31],
    ]);
    const recordedAt = consent.calls.filter((c) => c.activity === 'recordDataSubjectRequestStatus').map((c) => dayOf(input, (c.input as { at: string }).at));
    expect(recordedAt).toEqual([31, 31, 31]);
  });

  it('CON-5: verified, started and answered on day 5: no reminder, no escalation', async () => {
    const consent = fakeConsentRequestActivities();
    const input = await dataSubjectRequest('dsr-prompt');
    const { requestId } = input;

    const result = await withConsentWorkers(
      env,
      consent.activities,
      async () => {
        const handle = await startRequest(input);
        await skipToDay(input, 5);
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.identityVerified);
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.workStarted);
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.answered);
        const outcome = await handle.result();
        // Closed on the answer, not at a reminder or the due date.
        expect((await handle.describe()).closeTime!.getTime()).toBeLessThan(Date.parse(input.receivedAt) + 6 * DAY_MS);
        return outcome;
      },
      WORKFLOWS_PATH,
    );

    expect(result.status).toBe('ANSWERED');
    expect(dayOf(input, result.answeredAt)).toBe(5);
    expect(callDays(consent.calls, input)).toEqual([
      ['recordDataSubjectRequestStatus', { requestId, status: 'IDENTITY_VERIFIED', at: expect.any(String) }, 5],
      ['recordDataSubjectRequestStatus', { requestId, status: 'IN_PROGRESS', at: expect.any(String) }, 5],
      ['recordDataSubjectRequestStatus', { requestId, status: 'ANSWERED', at: result.answeredAt }, 5],
    ]);
  });

  it('CON-5: answered on day 25: only the day-20 reminder was sent', async () => {
    const consent = fakeConsentRequestActivities();
    const input = await dataSubjectRequest('dsr-day25');
    const { requestId, dueAt } = input;

    const result = await withConsentWorkers(
      env,
      consent.activities,
      async () => {
        const handle = await startRequest(input);
        await skipToDay(input, 3);
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.identityVerified);
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.workStarted);
        await skipToDay(input, 25);
        await consent.called('remindDataSubjectRequest');
        expect(await stateWhen(handle, (s) => s.remindersSent.length > 0)).toEqual({
          status: 'IN_PROGRESS',
          dueAt,
          remindersSent: [20],
          escalated: false,
        });
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.answered, { answerRef: 'doc-25' });
        return handle.result();
      },
      WORKFLOWS_PATH,
    );

    expect(result.status).toBe('ANSWERED');
    expect(dayOf(input, result.answeredAt)).toBe(25);
    expect(callDays(consent.calls, input)).toEqual([
      ['recordDataSubjectRequestStatus', { requestId, status: 'IDENTITY_VERIFIED', at: expect.any(String) }, 3],
      ['recordDataSubjectRequestStatus', { requestId, status: 'IN_PROGRESS', at: expect.any(String) }, 3],
      ['remindDataSubjectRequest', { requestId, day: 20, dueAt, recipients: DPO_CONTACTS }, 20],
      ['recordDataSubjectRequestStatus', { requestId, status: 'ANSWERED', at: result.answeredAt, answerRef: 'doc-25' }, 25],
    ]);
  });

  it('CON-5: a request rejected while still RECEIVED (day 2) closes REJECTED with the reason; a premature workStarted is ignored', async () => {
    const consent = fakeConsentRequestActivities();
    const input = await dataSubjectRequest('dsr-rejected');
    const { requestId, dueAt } = input;
    const reason = 'identity could not be verified';

    const result = await withConsentWorkers(
      env,
      consent.activities,
      async () => {
        const handle = await startRequest(input);
        await skipToDay(input, 2);
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.workStarted);
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.rejected, { reason });
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.identityVerified); // after closing: ignored
        const outcome = await handle.result();
        expect(await handle.query<DataSubjectRequestState>(DATA_SUBJECT_REQUEST_STATE_QUERY)).toEqual({
          status: 'REJECTED',
          dueAt,
          remindersSent: [],
          escalated: false,
        });
        return outcome;
      },
      WORKFLOWS_PATH,
    );

    expect(result.status).toBe('REJECTED');
    expect(dayOf(input, result.answeredAt)).toBe(2);
    expect(callDays(consent.calls, input)).toEqual([
      ['recordDataSubjectRequestStatus', { requestId, status: 'REJECTED', at: result.answeredAt, reason }, 2],
    ]);
  });

  it('CON-5: a request whose workflow starts on day 28 (e.g. converted late from a ticket) gets the day-27 reminder at once, not the day-20 one, and escalates on day 30', async () => {
    const consent = fakeConsentRequestActivities();
    const input = await dataSubjectRequest('dsr-converted', 28);
    const { requestId, dueAt } = input;

    await withConsentWorkers(
      env,
      consent.activities,
      async () => {
        const handle = await startRequest(input);
        await skipToDay(input, 30.5);
        await consent.called('escalateDataSubjectRequest');
        expect(await stateWhen(handle, (s) => s.escalated)).toEqual({ status: 'RECEIVED', dueAt, remindersSent: [27], escalated: true });
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.rejected, { reason: 'withdrawn by the data subject' });
        await handle.result();
      },
      WORKFLOWS_PATH,
    );

    expect(callDays(consent.calls, input).slice(0, 2)).toEqual([
      ['remindDataSubjectRequest', { requestId, day: 27, dueAt, recipients: DPO_CONTACTS }, 28],
      ['escalateDataSubjectRequest', { requestId, dueAt, recipients: DPO_CONTACTS }, 30],
    ]);
  });

  it('CON-5: without a DPO operator the reminder and the escalation go to the SUPER_ADMIN operators; without either, to nobody listed (the service falls back to CONSENT_DPO_EMAIL)', async () => {
    const admins = [{ email: 'root@omurga.test', locale: 'en' as const }];
    const consent = fakeConsentRequestActivities();
    const directory = fakeContactDirectory({ SUPER_ADMIN: admins });
    const input = await dataSubjectRequest('dsr-no-dpo', 28);
    const { requestId, dueAt } = input;

    await withConsentWorkers(
      env,
      consent.activities,
      async () => {
        const handle = await startRequest(input);
        await skipToDay(input, 30.5);
        await consent.called('escalateDataSubjectRequest');
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.rejected, { reason: 'withdrawn by the data subject' });
        await handle.result();
      },
      WORKFLOWS_PATH,
      TEST_WORKFLOWS_QUEUE,
      directory.activities,
    );

    expect(callDays(consent.calls, input).slice(0, 2)).toEqual([
      ['remindDataSubjectRequest', { requestId, day: 27, dueAt, recipients: admins }, 28],
      ['escalateDataSubjectRequest', { requestId, dueAt, recipients: admins }, 30],
    ]);
    // Asked afresh at each notice: the DPOs first, then the SUPER_ADMINs.
    expect(directory.calls.map((c) => c.input)).toEqual([{ role: 'DPO' }, { role: 'SUPER_ADMIN' }, { role: 'DPO' }, { role: 'SUPER_ADMIN' }]);

    const nobody = fakeConsentRequestActivities();
    const empty = await dataSubjectRequest('dsr-nobody', 29);
    await withConsentWorkers(
      env,
      nobody.activities,
      async () => {
        const handle = await startRequest(empty);
        await skipToDay(empty, 30.5);
        await nobody.called('escalateDataSubjectRequest');
        await handle.signal(DATA_SUBJECT_REQUEST_SIGNALS.rejected, { reason: 'withdrawn by the data subject' });
        await handle.result();
      },
      WORKFLOWS_PATH,
      TEST_WORKFLOWS_QUEUE,
      fakeContactDirectory({}).activities,
    );
    expect(nobody.callsOf('escalateDataSubjectRequest').map((c) => c.input)).toEqual([{ requestId: 'dsr-nobody', dueAt: empty.dueAt, recipients: [] }]);
  });
});
