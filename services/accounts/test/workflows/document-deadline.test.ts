import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addTurkishBusinessDays } from '@omurga/shared';
import { DOCUMENT_SIGNALS, documentRequestWorkflowId, type DocumentDeadlineInput } from '@omurga/shared/contracts';
import { createTimeSkippingEnvironment, TEST_WORKFLOWS_QUEUE } from '@omurga/workflows/testing';
import type { documentDeadlineWorkflow, DocumentRequestState } from '../../src/workflows/index.ts';
import { fakeAccountsActivities, withAccountsWorkers } from './accounts-workers.ts';

const HOUR_MS = 3_600_000;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

/** A document request made now (server time), due at the end of the third Turkish business day. */
async function documentRequest(requestId: string): Promise<DocumentDeadlineInput> {
  const deadline = addTurkishBusinessDays(new Date(await env.currentTimeMs()), 3);
  return { requestId, organizationId: `org-${requestId}`, deadline: deadline.toISOString() };
}

function startDocumentDeadline(input: DocumentDeadlineInput) {
  return env.client.workflow.start<typeof documentDeadlineWorkflow>('documentDeadlineWorkflow', {
    taskQueue: TEST_WORKFLOWS_QUEUE,
    workflowId: documentRequestWorkflowId(input.requestId),
    args: [input],
  });
}

describe('documentDeadlineWorkflow (ACC-7: documents due within 3 Turkish business days)', () => {
  it('ACC-7: expires the request and suspends for MISSING_DOCUMENTS at the deadline, then reinstates on a late upload', async () => {
    const accounts = fakeAccountsActivities();
    const input = await documentRequest('req-late');
    const deadline = Date.parse(input.deadline);
    const actor = { kind: 'workflow', id: documentRequestWorkflowId('req-late') };

    const result = await withAccountsWorkers(env, accounts.activities, async () => {
      const handle = await startDocumentDeadline(input);
      expect(await handle.query<DocumentRequestState>('documentRequestState')).toEqual({ phase: 'WAITING', deadline: input.deadline });

      // Skip the server's clock past the deadline; the suspension must happen at the deadline itself.
      await env.sleep(deadline + HOUR_MS - (await env.currentTimeMs()));
      await accounts.called('suspendOrganization');
      let state = await handle.query<DocumentRequestState>('documentRequestState');
      while (state.phase === 'WAITING') {
        await delay(20); // the suspension activity has run; its completion is on its way to the workflow
        state = await handle.query<DocumentRequestState>('documentRequestState');
      }
      expect(state.phase).toBe('SUSPENDED');
      expect(accounts.calls.map((c) => c.activity)).toEqual(['expireDocumentRequest', 'suspendOrganization']);

      await handle.signal(DOCUMENT_SIGNALS.submitted);
      return handle.result();
    });

    expect(result).toEqual({ outcome: 'SUBMITTED_LATE' });
    expect(accounts.calls.map((c) => [c.activity, c.input])).toEqual([
      ['expireDocumentRequest', { requestId: 'req-late' }],
      ['suspendOrganization', { organizationId: 'org-req-late', reason: 'MISSING_DOCUMENTS', actor }],
      ['reinstateOrganization', { organizationId: 'org-req-late', reason: 'MISSING_DOCUMENTS', actor }],
    ]);
    const [expired, suspended] = accounts.calls;
    // Not before the deadline, and not long after it either.
    expect(expired!.scheduledAt).toBeGreaterThanOrEqual(deadline);
    expect(suspended!.scheduledAt).toBeGreaterThanOrEqual(deadline);
    expect(suspended!.scheduledAt).toBeLessThan(deadline + HOUR_MS);
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(deadline);
  });

  it.each([
    [DOCUMENT_SIGNALS.submitted, 'SUBMITTED'],
    [DOCUMENT_SIGNALS.withdrawn, 'WITHDRAWN'],
  ])('ACC-7: a %s signal a day into the deadline ends the request without suspending (%s)', async (signal, expected) => {
    const accounts = fakeAccountsActivities();
    const input = await documentRequest(`req-${signal}`);

    const result = await withAccountsWorkers(env, accounts.activities, async () => {
      const handle = await startDocumentDeadline(input);
      await env.sleep('1 day');
      await handle.signal(signal);
      const outcome = await handle.result();
      expect(await handle.query<DocumentRequestState>('documentRequestState')).toEqual({ phase: 'DONE', deadline: input.deadline });
      // It closed on the signal, not at the deadline. (The server's own clock is no witness: the time-skipping
      // server still jumps to the cancelled deadline timer while the test awaits the result.)
      expect((await handle.describe()).closeTime!.getTime()).toBeLessThan(Date.parse(input.deadline));
      return outcome;
    });

    expect(result).toEqual({ outcome: expected });
    expect(accounts.calls).toEqual([]);
  });
});
